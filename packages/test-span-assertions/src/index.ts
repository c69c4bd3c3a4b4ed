export { createRecorder, installRecorder, uninstallRecorder, type InstallOptions } from './install';
export { Recorder, type RecorderOptions } from './recorder';
export type { WaitOptions } from './waiter';
export type { SequenceOptions, TraceMatch } from './span-waits';
export type { RefuteOptions } from './refute';
export type { MetricWaitOptions } from './metric-waits';
export type { SpanPattern, SpanPatternObject, SpanEventPattern, LinkPattern, FieldCheck, SpanGraph } from './pattern';
export { matchSpan, assertSpan, type SpanMatch } from './span-assertion';
export type { EventPattern, EventPatternObject, RecordedEvent } from './event-pattern';
export type { TracePattern, MatchedTrace } from './trace-tree';
export type { SequenceMode, SequenceOrder } from './sequence';
export type { MetricSnapshot, MetricPoint, RecordedMeasurement, InstrumentKind } from './measurement';
export {
  present,
  absent,
  exactly,
  range,
  type ValueMatcher,
  type RecordMatcher,
  type Range,
  type AsymmetricMatcher,
} from './values';
export { waitForDomainEvent, waitForDomainSpan, waitForDomainMetric, type DomainEventWait, type DomainSpanWait, type DomainMetricWait } from './domain-wait';
export type { Wording, RelatedItems } from './explain';
export { waitForBreakerState, waitForBreakerCall, type BreakerCallWaitOptions } from './circuit-breaker-waits';
export { waitForRetryCall, waitForRetryBackoff, waitForRetryAttempt, type RetryCallWaitOptions, type RetryBackoffWaitOptions } from './retry-waits';
export {
  waitForPoolReady,
  waitForPoolStopped,
  waitForPoolAcquire,
  waitForPoolTimeout,
  waitForPoolPendingRequests,
  type PoolAcquireWaitOptions,
  type PoolTimeoutWaitOptions,
  type PendingRequests,
} from './pool-waits';
export {
  waitForActorSystem,
  waitForWorkflow,
  waitForAgentInvocation,
  waitForHandoff,
  waitForAgentRegistered,
  waitForActorStopped,
  type OutcomeWaitOptions,
  type ActorStoppedWaitOptions,
} from './agent-waits';
export { WaitTimeoutError, type WaitFailureReason } from './wait-timeout-error';
export { SCOPE_BAGGAGE_KEY, activeScope } from './test-scope';
export { PACKAGE_NAME, PACKAGE_VERSION } from './version';
