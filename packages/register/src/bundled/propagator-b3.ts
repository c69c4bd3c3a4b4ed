// What this package uses of @opentelemetry/propagator-b3: the build bundles only these (see ../lazy.ts).
export { B3InjectEncoding, B3Propagator } from '@opentelemetry/propagator-b3';
