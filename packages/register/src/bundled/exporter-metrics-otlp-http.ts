// What this package uses of @opentelemetry/exporter-metrics-otlp-http: the build bundles only these (see ../lazy.ts).
export { AggregationTemporalityPreference, OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
