import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import {
  ATTR_ACTOR_TYPE,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_POOL_CONNECTION_STATE,
  ATTR_POOL_NAME,
  ATTR_RETRY_NAME,
  ATTR_RETRY_OUTCOME,
  DURATION_BUCKETS_SECONDS,
  METRIC_ACTOR_ACTIVE,
  METRIC_ACTOR_MESSAGE_DURATION,
  METRIC_AGENTS_ACTIVE_INVOCATIONS,
  METRIC_AGENTS_TRANSFERS,
  METRIC_GEN_AI_EXECUTE_TOOL_DURATION,
  METRIC_GEN_AI_INVOKE_AGENT_DURATION,
  METRIC_POOL_CONNECTION_COUNT,
  METRIC_POOL_MAX,
  METRIC_POOL_PENDING_REQUESTS,
  METRIC_POOL_WAIT_TIME,
  METRIC_RETRY_CALL_DURATION,
  METRIC_RETRY_RETRIES,
} from '@dyntel/semconv';
import { describe, expect, it } from 'vitest';
import { readBatch } from './reading';
import { sampleOf } from './sample';

class PullReader extends MetricReader {
  protected override onShutdown = () => Promise.resolve();
  protected override onForceFlush = () => Promise.resolve();
}

function meter() {
  const reader = new PullReader();
  const m = new MeterProvider({ readers: [reader] }).getMeter('test');
  const seconds = { unit: 's', advice: { explicitBucketBoundaries: [...DURATION_BUCKETS_SECONDS] } };
  return { reader, m, seconds, collect: async (time: number) => readBatch((await reader.collect()).resourceMetrics, time) };
}

describe('sampleOf', () => {
  it('retries: calls per second, retries per call and the exhausted share over the interval', async () => {
    const { m, seconds, collect } = meter();
    const calls = m.createHistogram(METRIC_RETRY_CALL_DURATION, seconds);
    const retries = m.createCounter(METRIC_RETRY_RETRIES);
    calls.record(0.1, { [ATTR_RETRY_NAME]: 'inventory', [ATTR_RETRY_OUTCOME]: 'success' });
    const before = await collect(0);
    for (let i = 0; i < 6; i++) calls.record(0.1, { [ATTR_RETRY_NAME]: 'inventory', [ATTR_RETRY_OUTCOME]: 'success' });
    for (let i = 0; i < 2; i++) calls.record(0.3, { [ATTR_RETRY_NAME]: 'inventory', [ATTR_RETRY_OUTCOME]: 'exhausted' });
    retries.add(4, { [ATTR_RETRY_NAME]: 'inventory' });
    const sample = sampleOf(await collect(2_000), before);
    expect(sample.intervalSeconds).toBe(2);
    expect(sample.retries).toEqual([{ name: 'inventory', callsPerSecond: 4, retriesPerCall: 0.5, exhaustedRatio: 0.25 }]);
  });

  it('pools: connections by state, max and pending as reported, the wait p99 over the interval', async () => {
    const { m, seconds, collect } = meter();
    const pool = { [ATTR_POOL_NAME]: 'clients' };
    m.createUpDownCounter(METRIC_POOL_CONNECTION_COUNT).add(3, { ...pool, [ATTR_POOL_CONNECTION_STATE]: 'used' });
    m.createUpDownCounter(METRIC_POOL_CONNECTION_COUNT).add(1, { ...pool, [ATTR_POOL_CONNECTION_STATE]: 'idle' });
    m.createUpDownCounter(METRIC_POOL_MAX).add(4, pool);
    m.createUpDownCounter(METRIC_POOL_PENDING_REQUESTS).add(2, pool);
    const wait = m.createHistogram(METRIC_POOL_WAIT_TIME, seconds);
    const before = await collect(0);
    wait.record(0.2, pool);
    const sample = sampleOf(await collect(1_000), before);
    expect(sample.pools).toMatchObject([{ name: 'clients', used: 3, idle: 1, max: 4, pendingRequests: 2, timeoutsPerSecond: 0 }]);
    // 0.2 s is in the (0.1, 0.25] bucket.
    expect(sample.pools[0]!.waitSeconds.p99).toBeGreaterThan(0.1);
    expect(sample.pools[0]!.waitSeconds.p99).toBeLessThanOrEqual(0.25);
  });

  it('agents, tools and actors: active counts, rates and latencies', async () => {
    const { m, seconds, collect } = meter();
    const triage = { [ATTR_GEN_AI_AGENT_NAME]: 'triage' };
    m.createUpDownCounter(METRIC_AGENTS_ACTIVE_INVOCATIONS).add(1, triage);
    const invocations = m.createHistogram(METRIC_GEN_AI_INVOKE_AGENT_DURATION, seconds);
    const transfers = m.createCounter(METRIC_AGENTS_TRANSFERS);
    const tools = m.createHistogram(METRIC_GEN_AI_EXECUTE_TOOL_DURATION, seconds);
    m.createUpDownCounter(METRIC_ACTOR_ACTIVE).add(3, { [ATTR_ACTOR_TYPE]: 'checkout' });
    const messages = m.createHistogram(METRIC_ACTOR_MESSAGE_DURATION, seconds);
    const before = await collect(0);
    invocations.record(0.5, triage);
    invocations.record(0.5, triage);
    transfers.add(1, triage);
    tools.record(0.01, { [ATTR_GEN_AI_TOOL_NAME]: 'lookup' });
    for (let i = 0; i < 10; i++) messages.record(0.001, { [ATTR_ACTOR_TYPE]: 'checkout' });
    const sample = sampleOf(await collect(1_000), before);
    expect(sample.agents).toMatchObject([{ name: 'triage', activeInvocations: 1, invocationsPerSecond: 2, handoffsPerSecond: 1 }]);
    expect(sample.tools).toMatchObject([{ name: 'lookup', callsPerSecond: 1 }]);
    expect(sample.actors).toMatchObject([{ type: 'checkout', active: 3, messagesPerSecond: 10 }]);
    expect(sample.actors[0]!.messageSeconds.p99).toBeLessThanOrEqual(0.005);
  });

  it('has no rates without a previous collection', async () => {
    const { m, seconds, collect } = meter();
    m.createHistogram(METRIC_RETRY_CALL_DURATION, seconds).record(0.1, { [ATTR_RETRY_NAME]: 'inventory', [ATTR_RETRY_OUTCOME]: 'success' });
    const sample = sampleOf(await collect(0), undefined);
    expect(sample.intervalSeconds).toBeNull();
    expect(sample.retries).toEqual([{ name: 'inventory', callsPerSecond: null, retriesPerCall: null, exhaustedRatio: null }]);
  });
});
