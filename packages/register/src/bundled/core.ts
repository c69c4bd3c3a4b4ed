// What this package uses of @opentelemetry/core: the build bundles only these (see ../lazy.ts).
export { CompositePropagator, ExportResultCode, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
