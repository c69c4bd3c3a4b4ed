import { logs, metrics, trace } from '@opentelemetry/api';
import { logs as apiLogs } from '@opentelemetry/api-logs';
import { afterAll, describe, expect, it } from 'vitest';
import { installRecorder, uninstallRecorder } from './index';
import './vitest';

// Taken before anything is installed, as an instrumented module loaded early would.
const earlyTracer = trace.getTracer('early');

describe('installRecorder', () => {
  afterAll(() => uninstallRecorder());

  it('registers global providers once and returns the same recorder', () => {
    const recorder = installRecorder({ timeoutMillis: 2_000 });
    expect(installRecorder()).toBe(recorder);
  });

  it('captures spans, event log records and measurements from the global APIs', async () => {
    const recorder = installRecorder();
    trace.getTracer('global').startActiveSpan('outer', (span) => {
      span.addEvent('inside', { step: 1 });
      span.end();
    });
    logs.getLogger('global').emit({ eventName: 'resilience.circuit_breaker.state_change', attributes: { 'resilience.circuit_breaker.state': 'open' } });
    apiLogs.getLogger('api-logs').emit({ eventName: 'other.event' });
    metrics.getMeter('global').createCounter('things').add(2, { kind: 'a' });

    await expect(recorder).toEmitSpan({ name: 'outer', events: [{ name: 'inside', attributes: { step: 1 } }] });
    await expect(recorder).toEmitEvent({ name: 'resilience.circuit_breaker.state_change', attributes: { 'resilience.circuit_breaker.state': 'open' } });
    await expect(recorder).toEmitEvent({ name: 'inside', source: 'span' });
    await expect(recorder).toEmitEvent('other.event');
    await expect(recorder.waitForMetric('things', { where: { kind: 'a' }, atLeast: 2 })).resolves.toMatchObject({ value: 2 });
  });

  it('reaches tracers taken before it was installed', async () => {
    const recorder = installRecorder();
    earlyTracer.startSpan('early-span').end();
    await expect(recorder.waitForSpan('early-span')).resolves.toBeDefined();
  });

  it('explains how to plug in when another provider is already registered', async () => {
    await uninstallRecorder();
    const { TracerProvider } = await import('@opentelemetry/sdk-trace');
    trace.setGlobalTracerProvider(new TracerProvider());
    expect(() => installRecorder()).toThrow(/a global tracer provider is already registered.*spanProcessors: \[recorder.spanProcessor\]/s);
    trace.disable();
  });

  it('passes resource and sampler to the installed providers', async () => {
    await uninstallRecorder();
    const { AlwaysOffSampler } = await import('@opentelemetry/sdk-trace');
    const { resourceFromAttributes } = await import('@opentelemetry/resources');
    const withResource = installRecorder({ resource: resourceFromAttributes({ 'service.name': 'svc' }) });
    trace.getTracer('x').startSpan('described').end();
    await expect(withResource.waitForSpan({ name: 'described', resource: { 'service.name': 'svc' } })).resolves.toBeDefined();
    await uninstallRecorder();

    const recorder = installRecorder({ sampler: new AlwaysOffSampler() });
    trace.getTracer('x').startSpan('sampled-out').end();
    const error = await recorder.waitForSpan('sampled-out', { timeoutMillis: 10 }).catch((e: Error) => e);
    expect(String(error)).toContain('a sampler dropped the spans');
    await uninstallRecorder();
  });
});
