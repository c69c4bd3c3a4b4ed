import { afterEach, describe, expect, it } from 'vitest';
import { ROOT_CONTEXT, TraceFlags, context, trace, type Context, type Span, type SpanContext } from '@opentelemetry/api';
import { AlwaysOffSampler, ParentBasedSampler, SamplingDecision, type Sampler } from '@opentelemetry/sdk-trace';
import { METRIC_CIRCUIT_BREAKER_CALL_DURATION } from '@dyntel/semconv';
import type CircuitBreakerClass from 'opossum';
import type * as Cockatiel from 'cockatiel';
import { COCKATIEL_PACKAGES, Harness, OPOSSUM_PACKAGES } from '../test/support/harness';

/** Samples only spans named `user work` (when it decides at all: as a root or under a remote parent). */
const userWorkOnly: Sampler = {
  shouldSample: (_context, _traceId, name) => ({
    decision: name === 'user work' ? SamplingDecision.RECORD_AND_SAMPLED : SamplingDecision.NOT_RECORD,
  }),
  toString: () => 'userWorkOnly',
};

/** What the user's function saw inside the protected call. */
interface Inside {
  active: Span | undefined;
  userSpan: Span;
}

/** Runs a protected call in `parent` whose function starts a `user work` span. */
type ProtectedCall = (harness: Harness, parent: Context) => Promise<Inside>;

const libraries: [string, ProtectedCall][] = [
  ...OPOSSUM_PACKAGES.map((pkg): [string, ProtectedCall] => [
    pkg,
    async (harness, parent) => {
      const CircuitBreaker = harness.opossum<typeof CircuitBreakerClass>(pkg);
      const breaker = new CircuitBreaker(async () => work(harness), { name: 'inventory' });
      const inside = await context.with(parent, () => breaker.fire());
      breaker.shutdown();
      return inside;
    },
  ]),
  ...COCKATIEL_PACKAGES.map((pkg): [string, ProtectedCall] => [
    pkg,
    async (harness, parent) => {
      const cockatiel = await harness.cockatiel<typeof Cockatiel>(pkg);
      const policy = cockatiel.circuitBreaker(cockatiel.handleAll, {
        halfOpenAfter: 10_000,
        breaker: new cockatiel.ConsecutiveBreaker(3),
      });
      return context.with(parent, () => policy.execute(async () => work(harness)));
    },
  ]),
];

function work(harness: Harness): Inside {
  const userSpan = harness.tracerProvider.getTracer('test').startSpan('user work');
  userSpan.end();
  return { active: trace.getActiveSpan(), userSpan };
}

const UNSAMPLED_PARENT: SpanContext = {
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  traceFlags: TraceFlags.NONE,
};

describe.each(libraries)('%s: context of an unsampled call', (_pkg, protectedCall) => {
  let harness: Harness | undefined;
  afterEach(async () => harness?.close());

  async function expectOneCallRecorded(h: Harness): Promise<void> {
    const points = await h.points(METRIC_CIRCUIT_BREAKER_CALL_DURATION);
    expect(points.map((p) => p.value)).toEqual([1]);
  }

  it('under an unsampled local parent: spans inside stay unsampled in its trace; the call runs in the parent context', async () => {
    harness = new Harness({}, new ParentBasedSampler({ root: userWorkOnly }));
    const parent = harness.tracerProvider.getTracer('test').startSpan('request');
    expect(parent.isRecording()).toBe(false);
    const { active, userSpan } = await protectedCall(harness, trace.setSpan(ROOT_CONTEXT, parent));

    expect(userSpan.isRecording()).toBe(false);
    expect(userSpan.spanContext().traceId).toBe(parent.spanContext().traceId);
    expect(userSpan.spanContext().traceFlags & TraceFlags.SAMPLED).toBe(0);
    // The chosen optimization: the non-recording call span is not made active, since nothing
    // inside could tell it from the parent but its span id.
    expect(active).toBe(parent);
    expect(harness.spans()).toEqual([]);
    await expectOneCallRecorded(harness);
  });

  it('as an unsampled root: spans inside inherit its decision instead of starting sampled traces', async () => {
    harness = new Harness({}, new ParentBasedSampler({ root: userWorkOnly }));
    const { active, userSpan } = await protectedCall(harness, ROOT_CONTEXT);

    expect(active).toBeDefined();
    expect(active!.isRecording()).toBe(false);
    expect(userSpan.isRecording()).toBe(false);
    expect(userSpan.spanContext().traceId).toBe(active!.spanContext().traceId);
    expect(harness.spans()).toEqual([]);
    await expectOneCallRecorded(harness);
  });

  it('under an unsampled remote parent: spans inside see the local call span, not the remote parent', async () => {
    // A remote unsampled parent is decided again by userWorkOnly; a local one is dropped.
    harness = new Harness(
      {},
      new ParentBasedSampler({ root: userWorkOnly, remoteParentNotSampled: userWorkOnly, localParentNotSampled: new AlwaysOffSampler() }),
    );
    const remote = trace.setSpanContext(ROOT_CONTEXT, { ...UNSAMPLED_PARENT, isRemote: true });
    const { active, userSpan } = await protectedCall(harness, remote);

    expect(active!.spanContext().spanId).not.toBe(UNSAMPLED_PARENT.spanId);
    expect(userSpan.isRecording()).toBe(false);
    expect(userSpan.spanContext().traceId).toBe(UNSAMPLED_PARENT.traceId);
    expect(harness.spans()).toEqual([]);
    await expectOneCallRecorded(harness);
  });
});
