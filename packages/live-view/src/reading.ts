import {
  ATTR_ACTOR_TYPE,
  ATTR_CIRCUIT_BREAKER_NAME,
  ATTR_CIRCUIT_BREAKER_OUTCOME,
  ATTR_CIRCUIT_BREAKER_STATE,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_POOL_CONNECTION_STATE,
  ATTR_POOL_NAME,
  ATTR_RETRY_NAME,
  ATTR_RETRY_OUTCOME,
  DEFAULT_CARDINALITY_LIMIT,
  METRIC_ACTOR_ACTIVE,
  METRIC_ACTOR_MAILBOX_DEPTH,
  METRIC_ACTOR_MESSAGE_DURATION,
  METRIC_AGENTS_ACTIVE_INVOCATIONS,
  METRIC_AGENTS_TRANSFERS,
  METRIC_CIRCUIT_BREAKER_CALL_DURATION,
  METRIC_CIRCUIT_BREAKER_STATE_CHANGES,
  METRIC_CIRCUIT_BREAKER_STATUS,
  METRIC_GEN_AI_EXECUTE_TOOL_DURATION,
  METRIC_GEN_AI_INVOKE_AGENT_DURATION,
  METRIC_POOL_CONNECTION_COUNT,
  METRIC_POOL_MAX,
  METRIC_POOL_PENDING_REQUESTS,
  METRIC_POOL_TIMEOUTS,
  METRIC_POOL_WAIT_TIME,
  METRIC_RETRY_CALL_DURATION,
  METRIC_RETRY_RETRIES,
  NAME_LENGTH_LIMIT,
  PoolConnectionState,
} from '@dyntel/semconv';
import { addBuckets, type Buckets } from './buckets';
import { isHistogram, metricsByName, numberValue, stringAttribute, type MetricPoint, type MetricsBatch } from './metrics-batch';

// The Node.js runtime metrics of @opentelemetry/instrumentation-runtime-node, shown when present.
const EVENT_LOOP_DELAY_P99 = 'nodejs.eventloop.delay.p99';
const EVENT_LOOP_UTILIZATION = 'nodejs.eventloop.utilization';
const HEAP_USED = 'v8js.memory.heap.used';
const HEAP_SIZE = 'v8js.memory.heap.space.size';

/**
 * Components kept per family: the contract's distinct-value cap plus its `_OTHER`. The
 * instrumentations already hold their names to it; metrics from elsewhere (an upstream pool
 * instrumentation, the application's own) are held to it here, so that the live view's memory
 * is bounded whatever the process reports.
 */
export const COMPONENT_LIMIT = DEFAULT_CARDINALITY_LIMIT + 1;

/** One breaker's cumulative figures. */
export interface BreakerReading {
  /** The state whose status is 1, when the status metric is there. */
  state?: string;
  /** Calls by outcome. */
  readonly calls: Map<string, number>;
  latency?: Buckets;
  stateChanges: number;
}

/** One retry policy's cumulative figures. */
export interface RetryReading {
  /** Logical calls by outcome. */
  readonly calls: Map<string, number>;
  retries: number;
}

/** One pool's figures. */
export interface PoolReading {
  used?: number;
  idle?: number;
  max?: number;
  pending?: number;
  timeouts: number;
  wait?: Buckets;
}

/** One agent's figures. */
export interface AgentReading {
  active?: number;
  invocations?: Buckets;
  /** Transfers from this agent (handoffs, agents used as tools). */
  handoffs: number;
}

/** One tool's figures. */
export interface ToolReading {
  calls?: Buckets;
}

/** One actor type's figures. */
export interface ActorReading {
  active?: number;
  messages?: Buckets;
  mailboxDepth?: number;
}

/** The runtime's figures, each present only when the runtime instrumentation reports it. */
export interface RuntimeReading {
  eventLoopDelayP99?: number;
  eventLoopUtilization?: number;
  heapUsed?: number;
  heapSize?: number;
}

/** Everything the live view shows, as one collection had it. */
export interface Reading {
  /** When it was collected, in milliseconds since the epoch. */
  readonly time: number;
  readonly breakers: Map<string, BreakerReading>;
  readonly retries: Map<string, RetryReading>;
  readonly pools: Map<string, PoolReading>;
  readonly agents: Map<string, AgentReading>;
  readonly tools: Map<string, ToolReading>;
  readonly actors: Map<string, ActorReading>;
  readonly runtime: RuntimeReading;
}

/** Reads the families the live view shows from one collection. */
export function readBatch(batch: MetricsBatch, time: number): Reading {
  const metrics = metricsByName(batch);
  const points = (name: string) => metrics.get(name) ?? [];
  const reading: Reading = { time, breakers: new Map(), retries: new Map(), pools: new Map(), agents: new Map(), tools: new Map(), actors: new Map(), runtime: {} };

  const breaker = component(reading.breakers, ATTR_CIRCUIT_BREAKER_NAME, (): BreakerReading => ({ calls: new Map(), stateChanges: 0 }));
  for (const point of points(METRIC_CIRCUIT_BREAKER_CALL_DURATION)) {
    const b = breaker(point);
    if (!b || !isHistogram(point.value)) continue;
    add(b.calls, stringAttribute(point, ATTR_CIRCUIT_BREAKER_OUTCOME) ?? 'unknown', point.value.count);
    b.latency = addBuckets(b.latency, point.value);
  }
  for (const point of points(METRIC_CIRCUIT_BREAKER_STATUS)) {
    const b = breaker(point);
    if (b && numberValue(point) === 1) b.state = stringAttribute(point, ATTR_CIRCUIT_BREAKER_STATE);
  }
  for (const point of points(METRIC_CIRCUIT_BREAKER_STATE_CHANGES)) {
    const b = breaker(point);
    if (b) b.stateChanges += numberValue(point) ?? 0;
  }

  const retry = component(reading.retries, ATTR_RETRY_NAME, (): RetryReading => ({ calls: new Map(), retries: 0 }));
  for (const point of points(METRIC_RETRY_CALL_DURATION)) {
    const r = retry(point);
    if (r && isHistogram(point.value)) add(r.calls, stringAttribute(point, ATTR_RETRY_OUTCOME) ?? 'unknown', point.value.count);
  }
  for (const point of points(METRIC_RETRY_RETRIES)) {
    const r = retry(point);
    if (r) r.retries += numberValue(point) ?? 0;
  }

  const pool = component(reading.pools, ATTR_POOL_NAME, (): PoolReading => ({ timeouts: 0 }));
  for (const point of points(METRIC_POOL_CONNECTION_COUNT)) {
    const p = pool(point);
    const state = stringAttribute(point, ATTR_POOL_CONNECTION_STATE);
    if (!p || (state !== PoolConnectionState.USED && state !== PoolConnectionState.IDLE)) continue;
    p[state] = (p[state] ?? 0) + (numberValue(point) ?? 0);
  }
  eachNumber(points(METRIC_POOL_MAX), pool, (p, v) => (p.max = (p.max ?? 0) + v));
  eachNumber(points(METRIC_POOL_PENDING_REQUESTS), pool, (p, v) => (p.pending = (p.pending ?? 0) + v));
  eachNumber(points(METRIC_POOL_TIMEOUTS), pool, (p, v) => (p.timeouts += v));
  eachHistogram(points(METRIC_POOL_WAIT_TIME), pool, (p, h) => (p.wait = addBuckets(p.wait, h)));

  const agent = component(reading.agents, ATTR_GEN_AI_AGENT_NAME, (): AgentReading => ({ handoffs: 0 }));
  eachNumber(points(METRIC_AGENTS_ACTIVE_INVOCATIONS), agent, (a, v) => (a.active = (a.active ?? 0) + v));
  eachHistogram(points(METRIC_GEN_AI_INVOKE_AGENT_DURATION), agent, (a, h) => (a.invocations = addBuckets(a.invocations, h)));
  eachNumber(points(METRIC_AGENTS_TRANSFERS), agent, (a, v) => (a.handoffs += v));
  const tool = component(reading.tools, ATTR_GEN_AI_TOOL_NAME, (): ToolReading => ({}));
  eachHistogram(points(METRIC_GEN_AI_EXECUTE_TOOL_DURATION), tool, (t, h) => (t.calls = addBuckets(t.calls, h)));

  const actor = component(reading.actors, ATTR_ACTOR_TYPE, (): ActorReading => ({}));
  eachNumber(points(METRIC_ACTOR_ACTIVE), actor, (a, v) => (a.active = (a.active ?? 0) + v));
  eachHistogram(points(METRIC_ACTOR_MESSAGE_DURATION), actor, (a, h) => (a.messages = addBuckets(a.messages, h)));
  eachNumber(points(METRIC_ACTOR_MAILBOX_DEPTH), actor, (a, v) => (a.mailboxDepth = Math.max(a.mailboxDepth ?? 0, v)));

  const runtime = reading.runtime;
  const first = (name: string) => points(name).map(numberValue).find((v) => v !== undefined);
  const total = (name: string) => points(name).reduce<number | undefined>((sum, p) => (numberValue(p) === undefined ? sum : (sum ?? 0) + numberValue(p)!), undefined);
  assignDefined(runtime, 'eventLoopDelayP99', first(EVENT_LOOP_DELAY_P99));
  assignDefined(runtime, 'eventLoopUtilization', first(EVENT_LOOP_UTILIZATION));
  assignDefined(runtime, 'heapUsed', total(HEAP_USED));
  assignDefined(runtime, 'heapSize', total(HEAP_SIZE));
  return reading;
}

/**
 * The component of a point, by its name attribute, created on first sight: names are cut to the
 * contract's length and at most {@link COMPONENT_LIMIT} components are kept per family.
 */
function component<T>(family: Map<string, T>, key: string, create: () => T): (point: MetricPoint) => T | undefined {
  return (point) => {
    const name = stringAttribute(point, key)?.slice(0, NAME_LENGTH_LIMIT);
    if (name === undefined) return undefined;
    let found = family.get(name);
    if (found === undefined && family.size < COMPONENT_LIMIT) family.set(name, (found = create()));
    return found;
  };
}

function eachNumber<T>(points: MetricPoint[], of: (point: MetricPoint) => T | undefined, apply: (component: T, value: number) => void): void {
  for (const point of points) {
    const c = of(point);
    const value = numberValue(point);
    if (c !== undefined && value !== undefined) apply(c, value);
  }
}

function eachHistogram<T>(points: MetricPoint[], of: (point: MetricPoint) => T | undefined, apply: (component: T, value: Parameters<typeof addBuckets>[1]) => void): void {
  for (const point of points) {
    const c = of(point);
    if (c !== undefined && isHistogram(point.value)) apply(c, point.value);
  }
}

function add(map: Map<string, number>, key: string, value: number): void {
  map.set(key, (map.get(key) ?? 0) + value);
}

function assignDefined<K extends keyof RuntimeReading>(runtime: RuntimeReading, key: K, value: RuntimeReading[K] | undefined): void {
  if (value !== undefined) runtime[key] = value;
}
