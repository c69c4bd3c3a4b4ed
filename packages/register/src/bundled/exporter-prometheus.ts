// What this package uses of @opentelemetry/exporter-prometheus: the build bundles only these (see ../lazy.ts).
export { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
