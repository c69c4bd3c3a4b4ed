// What this package uses of @opentelemetry/exporter-trace-otlp-proto: the build bundles only these (see ../lazy.ts).
export { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
