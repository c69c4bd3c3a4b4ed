import { SpanKind, SpanStatusCode, TraceFlags, type SpanContext } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { createRecorder } from './index';

const TRACE = '0af7651916cd43dd8448eb211c80319c';

function ctx(spanId: string): SpanContext {
  return { traceId: TRACE, spanId, traceFlags: TraceFlags.SAMPLED };
}

// SDK 1.x ReadableSpan: parentSpanId + instrumentationLibrary, no parentSpanContext.
function oneX(name: string, spanId: string, parentSpanId?: string) {
  return {
    name,
    kind: SpanKind.INTERNAL,
    spanContext: () => ctx(spanId),
    parentSpanId,
    startTime: [1, 0],
    endTime: [1, 5_000_000],
    status: { code: SpanStatusCode.OK },
    attributes: { v: 1 },
    links: [],
    events: [{ name: 'legacy-event', attributes: {}, time: [1, 1] }],
    duration: [0, 5_000_000],
    ended: true,
    resource: { attributes: { 'service.name': 'old' } },
    instrumentationLibrary: { name: 'legacy-lib', version: '0.1' },
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}

// SDK 2.x ReadableSpan: parentSpanContext + instrumentationScope (what 3.x keeps).
function twoX(name: string, spanId: string, parent?: string) {
  const { parentSpanId: _p, instrumentationLibrary: _l, ...rest } = oneX(name, spanId);
  return { ...rest, parentSpanContext: parent ? ctx(parent) : undefined, instrumentationScope: { name: 'lib2' } };
}

describe('older span shapes', () => {
  it('understands 1.x parentSpanId and instrumentationLibrary', async () => {
    const recorder = createRecorder();
    recorder.spanProcessor.onEnd(oneX('child', 'b7ad6b7169203331', '00f067aa0ba902b7') as never);
    recorder.spanProcessor.onEnd(oneX('root', '00f067aa0ba902b7') as never);
    await expect(
      recorder.waitForTrace({ name: 'root', parent: null, scope: { name: 'legacy-lib', version: '0.1' }, children: [{ name: 'child', duration: { min: 4, max: 6 } }] }),
    ).resolves.toBeDefined();
    await expect(recorder.waitForEvent({ name: 'legacy-event', source: 'span' })).resolves.toBeDefined();
    await expect(recorder.waitForSpan({ resource: { 'service.name': 'old' }, status: 'ok' })).resolves.toBeDefined();
  });

  it('understands 2.x parentSpanContext and instrumentationScope', async () => {
    const recorder = createRecorder();
    recorder.spanProcessor.onEnd(twoX('root', '00f067aa0ba902b7') as never);
    recorder.spanProcessor.onEnd(twoX('child', 'b7ad6b7169203331', '00f067aa0ba902b7') as never);
    await expect(recorder.waitForSpan({ name: 'child', parent: 'root', scope: 'lib2' })).resolves.toBeDefined();
  });
});
