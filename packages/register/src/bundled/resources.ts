// What this package uses of @opentelemetry/resources: the build bundles only these (see ../lazy.ts).
export { defaultResource, detectResources, envDetector, osDetector, processDetector, resourceFromAttributes, serviceInstanceIdDetector } from '@opentelemetry/resources';
