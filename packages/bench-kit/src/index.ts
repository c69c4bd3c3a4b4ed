export { countAllocations, type Allocation } from './allocations.ts';
export type { BenchCase, CaseResult, CaseRoles, Teardown } from './bench-case.ts';
export { useAsyncLocalStorageContext } from './context-manager.ts';
export { benchEnvironment } from './environment.ts';
export { histogramCount } from './histogram-count.ts';
export { DiscardingLogExporter, DiscardingSpanExporter, IdleMetricReader } from './idle-sdk.ts';
export { markdownTable, type Align } from './markdown-table.ts';
export { saveResults } from './results-file.ts';
export { RESULTS_LEGEND, resultsTable, type FloorCost, type TableOptions, type TimeUnit } from './results-table.ts';
export { runCases, type RunOptions } from './run-cases.ts';
export { sampleStatistics, type SampleStatistics } from './sample-statistics.ts';
export { seededRandom } from './seeded-random.ts';
export {
  CONFIGURATION_LABELS,
  SDK_CONFIGURATIONS,
  UNSAMPLED_PARENT,
  benchSdk,
  runIn,
  type BenchSdk,
  type SdkConfiguration,
} from './sdk-configuration.ts';
export { floorCases, floorCost, measureSdkFloor, type FloorOperation, type FloorWork, type SdkFloor } from './sdk-floor.ts';
