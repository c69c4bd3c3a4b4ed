import { logs, metrics, trace } from '@opentelemetry/api';
import { logs as apiLogs } from '@opentelemetry/api-logs';
import { afterAll, describe, expect, it } from 'vitest';
import { installRecorder, uninstallRecorder } from './index';
import './vitest';

describe('installRecorder', () => {
  afterAll(() => uninstallRecorder());

  it('registers global providers once and returns the same recorder', () => {
    const recorder = installRecorder({ timeout: 2_000 });
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

  it('explains how to plug in when another provider is already registered', async () => {
    await uninstallRecorder();
    const { TracerProvider } = await import('@opentelemetry/sdk-trace');
    trace.setGlobalTracerProvider(new TracerProvider());
    expect(() => installRecorder()).toThrow(/a global tracer provider is already registered.*spanProcessors: \[recorder.spanProcessor\]/s);
    trace.disable();
  });
});
