import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SpanStatusCode } from '@opentelemetry/api';
import { ATTR_CIRCUIT_BREAKER_NAME, ATTR_CIRCUIT_BREAKER_OUTCOME, ATTR_CIRCUIT_BREAKER_PREVIOUS_STATE, ATTR_CIRCUIT_BREAKER_STATE, ATTR_ERROR_TYPE, CircuitBreakerOutcome, CircuitBreakerState, EVENT_CIRCUIT_BREAKER_STATE_CHANGE, METRIC_CIRCUIT_BREAKER_CALL_DURATION, METRIC_CIRCUIT_BREAKER_STATUS, OTHER_VALUE, SPAN_CIRCUIT_BREAKER_CALL } from '@dyntel/semconv';
import { spanName } from '@dyntel/instrumentation-kit';
import type * as Cockatiel from 'cockatiel';
import { nameCircuitBreaker } from './naming';
import { COCKATIEL_PACKAGES, Harness } from '../test/support/harness';

class Unavailable extends Error {}
class NotFound extends Error {}

const HALF_OPEN_AFTER = 10_000;

describe.each(COCKATIEL_PACKAGES)('%s', (pkg) => {
  let harness: Harness;
  let cockatiel: typeof Cockatiel;

  beforeEach(async () => {
    harness = new Harness({
      breakerName: (_policy, { library }) => (library === 'cockatiel' ? 'from-config' : undefined),
    });
    cockatiel = await harness.cockatiel<typeof Cockatiel>(pkg);
  });
  afterEach(async () => {
    vi.useRealTimers();
    await harness.close();
  });

  const only = <T>(items: T[]): T => {
    expect(items).toHaveLength(1);
    return items[0]!;
  };

  const breakerOf = (policy: Cockatiel.Policy = cockatiel.handleAll, threshold = 3) =>
    nameCircuitBreaker(
      cockatiel.circuitBreaker(policy, { halfOpenAfter: HALF_OPEN_AFTER, breaker: new cockatiel.ConsecutiveBreaker(threshold) }),
      'inventory',
    );

  const outcomes = () =>
    harness.spans().map((s) => [s.attributes[ATTR_CIRCUIT_BREAKER_STATE], s.attributes[ATTR_CIRCUIT_BREAKER_OUTCOME], s.attributes[ATTR_ERROR_TYPE]]);

  const changes = () =>
    harness
      .events(EVENT_CIRCUIT_BREAKER_STATE_CHANGE)
      .map((r) => [r.attributes[ATTR_CIRCUIT_BREAKER_PREVIOUS_STATE], r.attributes[ATTR_CIRCUIT_BREAKER_STATE]]);

  it('records a success under the name given with nameCircuitBreaker', async () => {
    const breaker = breakerOf();
    await expect(breaker.execute(() => 42)).resolves.toBe(42);

    const span = only(harness.spans());
    expect(span.name).toBe(spanName(SPAN_CIRCUIT_BREAKER_CALL, 'inventory'));
    expect(span.attributes).toMatchObject({
      [ATTR_CIRCUIT_BREAKER_NAME]: 'inventory',
      [ATTR_CIRCUIT_BREAKER_STATE]: CircuitBreakerState.CLOSED,
      [ATTR_CIRCUIT_BREAKER_OUTCOME]: CircuitBreakerOutcome.SUCCESS,
    });
    const point = only(await harness.points(METRIC_CIRCUIT_BREAKER_CALL_DURATION));
    expect(point.attributes).toEqual({
      [ATTR_CIRCUIT_BREAKER_NAME]: 'inventory',
      [ATTR_CIRCUIT_BREAKER_OUTCOME]: CircuitBreakerOutcome.SUCCESS,
    });
  });

  it('names an unnamed policy through the breakerName config callback', async () => {
    const breaker = cockatiel.circuitBreaker(cockatiel.handleAll, {
      halfOpenAfter: HALF_OPEN_AFTER,
      breaker: new cockatiel.ConsecutiveBreaker(3),
    });
    await breaker.execute(() => 'ok');
    expect(only(harness.spans()).name).toBe(spanName(SPAN_CIRCUIT_BREAKER_CALL, 'from-config'));
  });

  it('records a handled error as failure and an unhandled one as ignored', async () => {
    const breaker = breakerOf(cockatiel.handleType(Unavailable));
    await expect(breaker.execute(() => Promise.reject(new Unavailable('503')))).rejects.toBeInstanceOf(Unavailable);
    await expect(breaker.execute(() => Promise.reject(new NotFound('404')))).rejects.toBeInstanceOf(NotFound);
    await expect(
      breaker.execute(() => {
        throw new NotFound('sync 404');
      }),
    ).rejects.toBeInstanceOf(NotFound);

    expect(outcomes()).toEqual([
      ['closed', CircuitBreakerOutcome.FAILURE, 'Unavailable'],
      ['closed', CircuitBreakerOutcome.IGNORED, 'NotFound'],
      ['closed', CircuitBreakerOutcome.IGNORED, 'NotFound'],
    ]);
    expect(harness.spans().every((s) => s.status.code === SpanStatusCode.ERROR)).toBe(true);
  });

  it('records a result the policy flags as a failure, although the caller gets the value', async () => {
    const breaker = breakerOf(cockatiel.handleWhenResult((r) => r === 'bad'));
    await expect(breaker.execute(() => 'bad')).resolves.toBe('bad');
    await expect(breaker.execute(() => 'good')).resolves.toBe('good');

    expect(outcomes()).toEqual([
      ['closed', CircuitBreakerOutcome.FAILURE, OTHER_VALUE],
      ['closed', CircuitBreakerOutcome.SUCCESS, undefined],
    ]);
    expect(harness.spans()[0]!.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('opens after three failures, rejects with BrokenCircuitError, half-opens after halfOpenAfter and closes', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const breaker = breakerOf();
    const opened = harness.waitForEvent(EVENT_CIRCUIT_BREAKER_STATE_CHANGE, { [ATTR_CIRCUIT_BREAKER_STATE]: 'open' });
    for (let i = 0; i < 3; i++) {
      await expect(breaker.execute(() => Promise.reject(new Unavailable('down')))).rejects.toBeInstanceOf(Unavailable);
    }
    const open = await opened;
    expect(open.attributes).toMatchObject({ [ATTR_CIRCUIT_BREAKER_NAME]: 'inventory', [ATTR_ERROR_TYPE]: 'Unavailable' });

    await expect(breaker.execute(() => 'never runs')).rejects.toBeInstanceOf(cockatiel.BrokenCircuitError);
    vi.setSystemTime(Date.now() + HALF_OPEN_AFTER + 1);
    const closed = harness.waitForEvent(EVENT_CIRCUIT_BREAKER_STATE_CHANGE, { [ATTR_CIRCUIT_BREAKER_STATE]: 'closed' });
    await expect(breaker.execute(() => 'probe')).resolves.toBe('probe');
    await closed;

    expect(changes()).toEqual([
      ['closed', 'open'],
      ['open', 'half_open'],
      ['half_open', 'closed'],
    ]);
    expect(outcomes()).toEqual([
      ['closed', CircuitBreakerOutcome.FAILURE, 'Unavailable'],
      ['closed', CircuitBreakerOutcome.FAILURE, 'Unavailable'],
      ['closed', CircuitBreakerOutcome.FAILURE, 'Unavailable'],
      ['open', CircuitBreakerOutcome.REJECTED, 'BrokenCircuitError'],
      ['open', CircuitBreakerOutcome.SUCCESS, undefined],
    ]);
    // The half-open happened inside the probe call: its span carries both transitions.
    const probe = harness.spans()[4]!;
    expect(probe.events.filter((e) => e.name === EVENT_CIRCUIT_BREAKER_STATE_CHANGE).map((e) => e.attributes?.[ATTR_CIRCUIT_BREAKER_STATE])).toEqual([
      'half_open',
      'closed',
    ]);
  });

  it('reopens when the half-open probe fails, and records one span per call for calls that waited on the probe', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const breaker = breakerOf(cockatiel.handleAll, 1);
    await expect(breaker.execute(() => Promise.reject(new Unavailable('down')))).rejects.toBeInstanceOf(Unavailable);
    vi.setSystemTime(Date.now() + HALF_OPEN_AFTER + 1);

    let failProbe!: () => void;
    const probe = breaker.execute(() => new Promise((_, reject) => (failProbe = () => reject(new Unavailable('still down')))));
    // Waits for the probe's verdict, then is refused by the reopened breaker.
    const waiting = breaker.execute(() => 'after the probe');
    failProbe();
    await expect(probe).rejects.toBeInstanceOf(Unavailable);
    await expect(waiting).rejects.toBeInstanceOf(cockatiel.BrokenCircuitError);

    expect(changes()).toEqual([
      ['closed', 'open'],
      ['open', 'half_open'],
      ['half_open', 'open'],
    ]);
    expect(outcomes()).toEqual([
      ['closed', CircuitBreakerOutcome.FAILURE, 'Unavailable'],
      ['open', CircuitBreakerOutcome.FAILURE, 'Unavailable'],
      ['half_open', CircuitBreakerOutcome.REJECTED, 'BrokenCircuitError'],
    ]);
  });

  it('an unhandled error during half-open is ignored and closes the breaker', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const breaker = breakerOf(cockatiel.handleType(Unavailable), 1);
    await expect(breaker.execute(() => Promise.reject(new Unavailable('down')))).rejects.toBeInstanceOf(Unavailable);
    vi.setSystemTime(Date.now() + HALF_OPEN_AFTER + 1);
    await expect(breaker.execute(() => Promise.reject(new NotFound('404')))).rejects.toBeInstanceOf(NotFound);

    expect(changes()).toEqual([
      ['closed', 'open'],
      ['open', 'half_open'],
      ['half_open', 'closed'],
    ]);
    expect(outcomes().at(-1)).toEqual(['open', CircuitBreakerOutcome.IGNORED, 'NotFound']);
  });

  it('isolate() forces the breaker open (Isolated) and its calls are rejected with IsolatedCircuitError', async () => {
    const breaker = breakerOf();
    const handle = breaker.isolate();
    await expect(breaker.execute(() => 'never runs')).rejects.toBeInstanceOf(cockatiel.IsolatedCircuitError);
    const status = Object.fromEntries(
      (await harness.points(METRIC_CIRCUIT_BREAKER_STATUS))
        .filter((p) => p.attributes[ATTR_CIRCUIT_BREAKER_NAME] === 'inventory')
        .map((p) => [p.attributes[ATTR_CIRCUIT_BREAKER_STATE], p.value]),
    );
    expect(status).toEqual({ closed: 0, open: 0, half_open: 0, forced_open: 1, disabled: 0 });
    handle.dispose();

    expect(changes()).toEqual([
      ['closed', 'forced_open'],
      ['forced_open', 'closed'],
    ]);
    expect(outcomes()).toEqual([['forced_open', CircuitBreakerOutcome.REJECTED, 'IsolatedCircuitError']]);
  });

  it('runs the function in the call span context and keeps its arguments', async () => {
    const breaker = breakerOf();
    const { trace } = await import('@opentelemetry/api');
    const seen = await breaker.execute((context) => ({ span: trace.getActiveSpan(), signal: context.signal }));
    const span = only(harness.spans());
    expect(seen.span?.spanContext().spanId).toBe(span.spanContext().spanId);
    expect(seen.signal).toBeInstanceOf(AbortSignal);
  });
});
