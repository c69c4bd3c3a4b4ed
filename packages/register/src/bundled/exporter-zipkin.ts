// What this package uses of @opentelemetry/exporter-zipkin: the build bundles only these (see ../lazy.ts).
export { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
