// What this package uses of @opentelemetry/context-async-hooks: the build bundles only these (see ../lazy.ts).
export { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
