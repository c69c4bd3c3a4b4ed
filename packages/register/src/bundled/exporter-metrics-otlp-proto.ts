// What this package uses of @opentelemetry/exporter-metrics-otlp-proto: the build bundles only these (see ../lazy.ts).
export { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
