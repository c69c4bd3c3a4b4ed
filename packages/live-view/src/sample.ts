import { CircuitBreakerOutcome, RetryOutcome } from '@dyntel/semconv';
import { bucketsSince, quantile, type Buckets } from './buckets';
import type { Reading } from './reading';

/** Latency quantiles in seconds over a sample's interval; null when nothing was recorded in it. */
export interface Latency {
  p50: number | null;
  p99: number | null;
}

/** A breaker in one sample. */
export interface BreakerSample {
  name: string;
  /** The state it is in (`closed`, `open`, `half_open`, `forced_open`, `disabled`), null before its status is reported. */
  state: string | null;
  /** Calls per second over the interval, by outcome; null for the first sample. */
  callsPerSecond: Record<string, number> | null;
  latencySeconds: Latency;
  /** State changes counted in the interval (more than one when it flapped between two samples). */
  stateChanges: number | null;
}

/** A retry policy in one sample. */
export interface RetrySample {
  name: string;
  callsPerSecond: number | null;
  /** Retries (attempts after the first) per logical call over the interval. */
  retriesPerCall: number | null;
  /** Share of the interval's logical calls that ended `exhausted`. */
  exhaustedRatio: number | null;
}

/** A pool in one sample. */
export interface PoolSample {
  name: string;
  used: number | null;
  idle: number | null;
  max: number | null;
  pendingRequests: number | null;
  waitSeconds: { p99: number | null };
  timeoutsPerSecond: number | null;
}

/** An agent in one sample. */
export interface AgentSample {
  name: string;
  activeInvocations: number | null;
  invocationsPerSecond: number | null;
  invocationSeconds: Latency;
  /** Transfers from this agent per second: handoffs and agents used as tools. */
  handoffsPerSecond: number | null;
}

/** A tool in one sample. */
export interface ToolSample {
  name: string;
  callsPerSecond: number | null;
  callSeconds: Latency;
}

/** An actor type in one sample. */
export interface ActorSample {
  type: string;
  active: number | null;
  messagesPerSecond: number | null;
  /** From send to processed, mailbox wait included. */
  messageSeconds: Latency;
  mailboxDepth: number | null;
}

/** The runtime in one sample; null when the runtime instrumentation does not report it. */
export interface RuntimeSample {
  eventLoopDelayP99Seconds: number | null;
  eventLoopUtilization: number | null;
  heapUsedBytes: number | null;
  /** The size of every heap space together, used or not. */
  heapSizeBytes: number | null;
}

/** One collection, as the page and the API show it: rates and quantiles over the interval since the previous one. */
export interface Sample {
  /** Milliseconds since the epoch. */
  time: number;
  /** Seconds since the previous collection; null for the first. */
  intervalSeconds: number | null;
  breakers: BreakerSample[];
  retries: RetrySample[];
  pools: PoolSample[];
  agents: AgentSample[];
  tools: ToolSample[];
  actors: ActorSample[];
  runtime: RuntimeSample;
}

/** The sample of a reading: rates against the previous reading, when there is one. */
export function sampleOf(now: Reading, before: Reading | undefined): Sample {
  const seconds = before && now.time > before.time ? (now.time - before.time) / 1000 : undefined;
  const rate = (n: number | undefined, b: number | undefined) => perSecond(n, b, seconds);
  const latency = (n: Buckets | undefined, b: Buckets | undefined): Latency => {
    const since = seconds === undefined ? undefined : bucketsSince(n, b);
    return { p50: quantile(since, 0.5) ?? null, p99: quantile(since, 0.99) ?? null };
  };

  const breakers = [...now.breakers].map(([name, b]): BreakerSample => {
    const prev = before?.breakers.get(name);
    let callsPerSecond: Record<string, number> | null = null;
    if (seconds !== undefined) {
      callsPerSecond = {};
      for (const outcome of new Set([...Object.values(CircuitBreakerOutcome), ...b.calls.keys()])) {
        callsPerSecond[outcome] = rate(b.calls.get(outcome) ?? 0, prev?.calls.get(outcome) ?? 0) ?? 0;
      }
    }
    return { name, state: b.state ?? null, callsPerSecond, latencySeconds: latency(b.latency, prev?.latency), stateChanges: difference(b.stateChanges, prev?.stateChanges ?? 0, seconds) };
  });

  const retries = [...now.retries].map(([name, r]): RetrySample => {
    const prev = before?.retries.get(name);
    const calls = difference(sum(r.calls), sum(prev?.calls), seconds);
    const exhausted = difference(r.calls.get(RetryOutcome.EXHAUSTED) ?? 0, prev?.calls.get(RetryOutcome.EXHAUSTED) ?? 0, seconds);
    const retried = difference(r.retries, prev?.retries ?? 0, seconds);
    return {
      name,
      callsPerSecond: calls === null || seconds === undefined ? null : calls / seconds,
      retriesPerCall: calls && retried !== null ? retried / calls : null,
      exhaustedRatio: calls && exhausted !== null ? exhausted / calls : null,
    };
  });

  const pools = [...now.pools].map(([name, p]): PoolSample => {
    const prev = before?.pools.get(name);
    return {
      name,
      used: p.used ?? null,
      idle: p.idle ?? null,
      max: p.max ?? null,
      pendingRequests: p.pending ?? null,
      waitSeconds: { p99: latency(p.wait, prev?.wait).p99 },
      timeoutsPerSecond: rate(p.timeouts, prev?.timeouts ?? 0),
    };
  });

  const agents = [...now.agents].map(([name, a]): AgentSample => {
    const prev = before?.agents.get(name);
    return {
      name,
      activeInvocations: a.active ?? null,
      invocationsPerSecond: rate(a.invocations?.count ?? 0, prev?.invocations?.count ?? 0),
      invocationSeconds: latency(a.invocations, prev?.invocations),
      handoffsPerSecond: rate(a.handoffs, prev?.handoffs ?? 0),
    };
  });

  const tools = [...now.tools].map(([name, t]): ToolSample => {
    const prev = before?.tools.get(name);
    return { name, callsPerSecond: rate(t.calls?.count ?? 0, prev?.calls?.count ?? 0), callSeconds: latency(t.calls, prev?.calls) };
  });

  const actors = [...now.actors].map(([type, a]): ActorSample => {
    const prev = before?.actors.get(type);
    return {
      type,
      active: a.active ?? null,
      messagesPerSecond: rate(a.messages?.count ?? 0, prev?.messages?.count ?? 0),
      messageSeconds: latency(a.messages, prev?.messages),
      mailboxDepth: a.mailboxDepth ?? null,
    };
  });

  const r = now.runtime;
  return {
    time: now.time,
    intervalSeconds: seconds ?? null,
    breakers,
    retries,
    pools,
    agents,
    tools,
    actors,
    runtime: {
      eventLoopDelayP99Seconds: r.eventLoopDelayP99 ?? null,
      eventLoopUtilization: r.eventLoopUtilization ?? null,
      heapUsedBytes: r.heapUsed ?? null,
      heapSizeBytes: r.heapSize ?? null,
    },
  };
}

/** How much a cumulative figure grew over the interval; null without an interval or after a reset. */
function difference(now: number, before: number | undefined, seconds: number | undefined): number | null {
  if (seconds === undefined) return null;
  const grown = now - (before ?? 0);
  return grown >= 0 ? grown : null;
}

function perSecond(now: number | undefined, before: number | undefined, seconds: number | undefined): number | null {
  if (now === undefined) return null;
  const grown = difference(now, before, seconds);
  return grown === null ? null : grown / seconds!;
}

function sum(map: Map<string, number> | undefined): number {
  let total = 0;
  for (const value of map?.values() ?? []) total += value;
  return total;
}
