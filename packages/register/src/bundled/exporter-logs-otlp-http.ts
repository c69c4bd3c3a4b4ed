// What this package uses of @opentelemetry/exporter-logs-otlp-http: the build bundles only these (see ../lazy.ts).
export { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
