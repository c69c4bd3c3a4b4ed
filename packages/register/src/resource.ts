import type { Resource, ResourceDetector } from '@opentelemetry/resources';
import type { ResourceDetectorName } from './env-variables';
import { hostDetector } from './host-detector';
import { resources } from './lazy';

type Detector = Exclude<ResourceDetectorName, 'all'>;

// The order the NodeSDK runs them in for `all`; env comes last, so OTEL_RESOURCE_ATTRIBUTES wins.
const ALL: readonly Detector[] = ['host', 'os', 'serviceinstance', 'process', 'env'];

/**
 * The resource of every signal, as the NodeSDK builds it: the SDK's default attributes, then
 * those of the detectors OTEL_NODE_RESOURCE_DETECTORS names (all by default), then
 * OTEL_SERVICE_NAME. Called only when some signal is exported.
 */
export function detectResource(detectors: readonly ResourceDetectorName[], serviceName: string | undefined): Resource {
  const { defaultResource, detectResources, envDetector, osDetector, processDetector, resourceFromAttributes, serviceInstanceIdDetector } = resources();
  const known: Record<Detector, ResourceDetector> = { host: hostDetector, os: osDetector, serviceinstance: serviceInstanceIdDetector, process: processDetector, env: envDetector };
  const names = detectors.includes('all') ? ALL : (detectors as readonly Detector[]);
  const detected = defaultResource().merge(detectResources({ detectors: names.map((name) => known[name]) }));
  return serviceName === undefined ? detected : detected.merge(resourceFromAttributes({ 'service.name': serviceName }));
}
