import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { nameCircuitBreaker } from '@dyntel/instrumentation-circuit-breaker';
import { ATTR_CIRCUIT_BREAKER_OUTCOME, ATTR_RETRY_ATTEMPT, ATTR_RETRY_ATTEMPT_COUNT, ATTR_RETRY_OUTCOME } from '@dyntel/semconv';
import type * as Cockatiel from 'cockatiel';
import { nameRetry } from '../src/naming';
import { RetryAndBreakerHarness } from './support/with-breaker';
import { Unavailable } from './support/failures';

type Library = typeof Cockatiel;

// cockatiel's wrap() both ways, with the retry and circuit-breaker instrumentations loaded together.
const LOADERS: [string, (harness: RetryAndBreakerHarness) => Promise<Library>][] = [
  ['cockatiel-v3', async (harness) => harness.requireBoth<Library>('cockatiel-v3')],
  ['cockatiel', (harness) => harness.importBoth<Library>('cockatiel')],
];

function flaky(failures: number) {
  let calls = 0;
  return async (): Promise<string> => {
    if (++calls <= failures) throw new Unavailable(`down ${calls}`);
    return 'in stock';
  };
}

const parentOf = (spans: ReadableSpan[], span: ReadableSpan): ReadableSpan | undefined => spans.find((s) => s.spanContext().spanId === span.parentSpanContext?.spanId);
const named = (spans: ReadableSpan[], name: string): ReadableSpan[] => spans.filter((s) => s.name === name);

describe.each(LOADERS)('%s wrap() with both instrumentations', (_pkg, load) => {
  let harness: RetryAndBreakerHarness;
  let c: Library;
  beforeEach(async () => {
    harness = new RetryAndBreakerHarness();
    c = await load(harness);
  });
  afterEach(() => harness.close());

  it('wrap(retry, breaker): one retry.call, and each attempt holds the breaker call it made', async () => {
    const retry = nameRetry(c.retry(c.handleAll, { maxAttempts: 2 }), 'inventory');
    const breaker = nameCircuitBreaker(c.circuitBreaker(c.handleAll, { halfOpenAfter: 60_000, breaker: new c.ConsecutiveBreaker(5) }), 'inventory');
    expect(await c.wrap(retry, breaker).execute(flaky(2))).toBe('in stock');
    const spans = harness.spans();
    const [call] = named(spans, 'retry.call inventory');
    expect(call!.attributes).toMatchObject({ [ATTR_RETRY_OUTCOME]: 'success', [ATTR_RETRY_ATTEMPT_COUNT]: 3 });
    const attempts = named(spans, 'retry.attempt inventory');
    const breakerCalls = named(spans, 'circuit_breaker.call inventory');
    expect(breakerCalls.map((s) => s.attributes[ATTR_CIRCUIT_BREAKER_OUTCOME])).toEqual(['failure', 'failure', 'success']);
    expect(breakerCalls.map((s) => parentOf(spans, s)?.attributes[ATTR_RETRY_ATTEMPT])).toEqual([1, 2, 3]);
    expect(attempts.every((s) => parentOf(spans, s) === call)).toBe(true);
  });

  it('wrap(breaker, retry): one breaker call around one retry.call and all its attempts', async () => {
    const retry = nameRetry(c.retry(c.handleAll, { maxAttempts: 2 }), 'inventory');
    const breaker = nameCircuitBreaker(c.circuitBreaker(c.handleAll, { halfOpenAfter: 60_000, breaker: new c.ConsecutiveBreaker(5) }), 'inventory');
    expect(await c.wrap(breaker, retry).execute(flaky(1))).toBe('in stock');
    const spans = harness.spans();
    const [breakerCall] = named(spans, 'circuit_breaker.call inventory');
    const [call] = named(spans, 'retry.call inventory');
    expect(breakerCall!.attributes[ATTR_CIRCUIT_BREAKER_OUTCOME]).toBe('success');
    expect(parentOf(spans, call!)).toBe(breakerCall);
    expect(named(spans, 'retry.attempt inventory').map((s) => [s.attributes[ATTR_RETRY_ATTEMPT], parentOf(spans, s) === call])).toEqual([
      [1, true],
      [2, true],
    ]);
  });
});
