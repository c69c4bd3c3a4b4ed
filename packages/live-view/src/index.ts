export { startLiveView, type LiveView, type LiveViewOptions } from './live-view';
export { API_VERSION, type CollectMetrics, type Snapshot, type BreakerSnapshot, type HistoryBody, type Summary } from './live-state';
export type { Sample, BreakerSample, RetrySample, PoolSample, AgentSample, ToolSample, ActorSample, RuntimeSample, Latency } from './sample';
export type { StateChange, StateSince, Timeline } from './history';
export type { MetricsBatch, CollectedMetric, MetricPoint, HistogramValue } from './metrics-batch';
export { COMPONENT_LIMIT } from './reading';
export { PACKAGE_NAME, PACKAGE_VERSION } from './version';
