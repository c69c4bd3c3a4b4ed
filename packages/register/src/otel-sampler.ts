import type { Sampler } from '@opentelemetry/sdk-trace';
import { sdkTrace } from './lazy';
import type { OtelSamplerName } from './env-variables';

/** OTEL_TRACES_SAMPLER and its argument, as read. */
export interface OtelSamplerSettings {
  name: OtelSamplerName;
  /** OTEL_TRACES_SAMPLER_ARG; read for the traceidratio samplers only. */
  ratio?: number;
}

/**
 * The sampler OTEL_TRACES_SAMPLER names, built here from the validated settings so that the
 * SDK does not parse the variables again by its own, looser rules.
 */
export function otelSampler({ name, ratio = 1 }: OtelSamplerSettings): Sampler {
  const { AlwaysOffSampler, AlwaysOnSampler, ParentBasedSampler, TraceIdRatioBasedSampler } = sdkTrace();
  const root = {
    always_on: () => new AlwaysOnSampler(),
    always_off: () => new AlwaysOffSampler(),
    traceidratio: () => new TraceIdRatioBasedSampler(ratio),
  };
  if (name.startsWith('parentbased_')) return new ParentBasedSampler({ root: root[name.slice('parentbased_'.length) as keyof typeof root]() });
  return root[name as keyof typeof root]();
}

/** Whether the sampler reads OTEL_TRACES_SAMPLER_ARG. */
export function takesRatio(name: OtelSamplerName): boolean {
  return name.endsWith('traceidratio');
}
