import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import {
  ATTR_CIRCUIT_BREAKER_NAME,
  ATTR_CIRCUIT_BREAKER_OUTCOME,
  ATTR_CIRCUIT_BREAKER_PREVIOUS_STATE,
  ATTR_CIRCUIT_BREAKER_STATE,
  CircuitBreakerOutcome,
  CircuitBreakerState,
  EVENT_CIRCUIT_BREAKER_STATE_CHANGE,
  SPAN_CIRCUIT_BREAKER_CALL,
} from '@dyntel/semconv';
import { capNameLength, spanName } from '@dyntel/instrumentation-kit';
import { waitForDomainEvent, waitForDomainSpan } from './domain-wait';
import type { RecordedEvent } from './event-pattern';
import type { Recorder } from './recorder';
import type { WaitOptions } from './waiter';
import { validateComponentName, validateMember } from './wait-arguments';

/** Options of {@link waitForBreakerCall}. */
export interface BreakerCallWaitOptions extends WaitOptions {
  /** Only a call that ended with this outcome. */
  outcome?: CircuitBreakerOutcome;
}

function transition(event: RecordedEvent): string {
  return `${String(event.attributes[ATTR_CIRCUIT_BREAKER_PREVIOUS_STATE] ?? '?')} → ${String(event.attributes[ATTR_CIRCUIT_BREAKER_STATE])}`;
}

/**
 * Resolves with the `resilience.circuit_breaker.state_change` event of breaker `name` into
 * `state`, already recorded or yet to come (state changes on a timer included). On timeout the
 * error lists the breaker's other state changes and other breakers' changes into `state`.
 */
export async function waitForBreakerState(recorder: Recorder, name: string, state: CircuitBreakerState, options?: WaitOptions): Promise<RecordedEvent> {
  const label = 'waitForBreakerState';
  validateComponentName(name, 'breaker', label);
  validateMember(state, CircuitBreakerState, 'state', label);
  // Telemetry carries a name cut to the contract's length; so does what is awaited.
  name = capNameLength(name);
  // The contract emits every change as a log record (plus a span event when a span is active):
  // near misses are listed from the log records so that each change appears once.
  const changes = { name: EVENT_CIRCUIT_BREAKER_STATE_CHANGE, source: 'log' } as const;
  return waitForDomainEvent(
    recorder,
    {
      label,
      pattern: { name: EVENT_CIRCUIT_BREAKER_STATE_CHANGE, attributes: { [ATTR_CIRCUIT_BREAKER_NAME]: name, [ATTR_CIRCUIT_BREAKER_STATE]: state } },
      expectation: `breaker ${JSON.stringify(name)} to enter state ${state}`,
      related: [
        { title: `State changes of breaker ${JSON.stringify(name)}`, pattern: { ...changes, attributes: { [ATTR_CIRCUIT_BREAKER_NAME]: name } }, describe: transition },
        {
          title: `Other breakers entering ${state}`,
          pattern: { ...changes, attributes: { [ATTR_CIRCUIT_BREAKER_NAME]: (other: unknown) => other !== name, [ATTR_CIRCUIT_BREAKER_STATE]: state } },
          describe: (e) => `${JSON.stringify(e.attributes[ATTR_CIRCUIT_BREAKER_NAME])}: ${transition(e)}`,
        },
      ],
    },
    options,
  );
}

/**
 * Resolves with the ended `circuit_breaker.call {name}` span of breaker `name` (with `outcome`,
 * if given). On timeout the error lists the breaker's other calls and, with an outcome, other
 * breakers' calls that ended with it.
 */
export async function waitForBreakerCall(recorder: Recorder, name: string, options: BreakerCallWaitOptions = {}): Promise<ReadableSpan> {
  const label = 'waitForBreakerCall';
  validateComponentName(name, 'breaker', label);
  const { outcome, ...waitOptions } = options;
  if (outcome !== undefined) validateMember(outcome, CircuitBreakerOutcome, 'outcome', label);
  name = capNameLength(name);
  const callName = spanName(SPAN_CIRCUIT_BREAKER_CALL, name);
  const describeCall = (span: ReadableSpan) => `${JSON.stringify(span.name)}: outcome ${String(span.attributes[ATTR_CIRCUIT_BREAKER_OUTCOME])}`;
  return waitForDomainSpan(
    recorder,
    {
      label,
      pattern: outcome === undefined ? { name: callName } : { name: callName, attributes: { [ATTR_CIRCUIT_BREAKER_OUTCOME]: outcome } },
      expectation: `a call of breaker ${JSON.stringify(name)}${outcome === undefined ? '' : ` with outcome ${outcome}`}`,
      related: [
        { title: `Calls of breaker ${JSON.stringify(name)}`, pattern: { name: callName }, describe: describeCall },
        ...(outcome === undefined
          ? []
          : [
              {
                title: `Calls of other breakers with outcome ${outcome}`,
                // Only breaker calls carry an outcome.
                pattern: { name: (other: unknown) => other !== callName, attributes: { [ATTR_CIRCUIT_BREAKER_OUTCOME]: outcome } },
                describe: describeCall,
              },
            ]),
      ],
    },
    waitOptions,
  );
}
