// What this package uses of @opentelemetry/sdk-metrics: the build bundles only these (see ../lazy.ts).
export { AggregationTemporality, ConsoleMetricExporter, DataPointType, InstrumentType, MeterProvider, MetricReader, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
