// What this package uses of @opentelemetry/instrumentation-runtime-node: the build bundles only these (see ../lazy.ts).
export { RuntimeNodeInstrumentation } from '@opentelemetry/instrumentation-runtime-node';
