import { describe, expect, it } from 'vitest';
import { otelSampler, takesRatio } from './otel-sampler';

describe('otelSampler', () => {
  it.each([
    [{ name: 'always_on' }, 'AlwaysOnSampler'],
    [{ name: 'always_off' }, 'AlwaysOffSampler'],
    [{ name: 'traceidratio', ratio: 0.25 }, 'TraceIdRatioBased{0.25}'],
    [{ name: 'parentbased_always_on' }, 'ParentBased{root=AlwaysOnSampler, remoteParentSampled=AlwaysOnSampler, remoteParentNotSampled=AlwaysOffSampler, localParentSampled=AlwaysOnSampler, localParentNotSampled=AlwaysOffSampler}'],
    [{ name: 'parentbased_always_off' }, 'ParentBased{root=AlwaysOffSampler, remoteParentSampled=AlwaysOnSampler, remoteParentNotSampled=AlwaysOffSampler, localParentSampled=AlwaysOnSampler, localParentNotSampled=AlwaysOffSampler}'],
    [{ name: 'parentbased_traceidratio' }, 'ParentBased{root=TraceIdRatioBased{1}, remoteParentSampled=AlwaysOnSampler, remoteParentNotSampled=AlwaysOffSampler, localParentSampled=AlwaysOnSampler, localParentNotSampled=AlwaysOffSampler}'],
  ] as const)('builds %j', (settings, description) => {
    expect(otelSampler(settings).toString()).toBe(description);
  });

  it('knows which samplers take OTEL_TRACES_SAMPLER_ARG', () => {
    expect([takesRatio('traceidratio'), takesRatio('parentbased_traceidratio'), takesRatio('always_on')]).toEqual([true, true, false]);
  });
});
