import type { Attributes, Logger } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE, type Severity } from '@dyntel/semconv';
import type { Component } from './component';
import { emitEvent } from './events';
import { safely } from './guard';

/** A component with a state the instrumentation follows (a breaker, a pool, an actor). */
export interface StatefulComponent<State extends string> extends Component {
  /** The state the component last moved to, as the instrumentation saw it. */
  state: State;
}

/** How one family reports state changes. */
export interface StateChangeSpec<State extends string, C extends StatefulComponent<State>> {
  /** The event name (`resilience.circuit_breaker.state_change`). */
  readonly eventName: string;
  /** The attributes that carry the new and the previous state. */
  readonly stateAttribute: string;
  readonly previousStateAttribute: string;
  /** The contract's severity of entering each state. */
  readonly severity: Readonly<Record<State, Severity>>;
  /** What diagnostics call a change (`circuit breaker state change`). */
  readonly label: string;
  /** The logger on the current logger provider. */
  logger(): Logger;
  /** Counts the change (a `state_changes` counter); called before the event is emitted. */
  count?(component: C, state: State, previous: State): void;
}

/**
 * State changes as the contract wants them: the component's state is updated, the change is
 * counted, and an event is emitted as a span event on the active recording span and a log
 * record with the contract's severity, so that a change on a timer (a breaker half-opening)
 * is still exported and awaitable. Repeated reports of the current state are not changes.
 */
export class StateChanges<State extends string, C extends StatefulComponent<State>> {
  constructor(private readonly spec: StateChangeSpec<State, C>) {}

  /** Moves `component` to `state`; `errorType` is the error.type of the failure that caused it. Returns whether it changed. */
  transition(component: C, state: State, errorType?: string): boolean {
    const previous = component.state;
    if (previous === state) return false;
    component.state = state;
    const spec = this.spec;
    safely(`recording a ${spec.label}`, () => {
      spec.count?.(component, state, previous);
      const attributes: Attributes = component.spanAttributes();
      attributes[spec.stateAttribute] = state;
      attributes[spec.previousStateAttribute] = previous;
      if (errorType !== undefined) attributes[ATTR_ERROR_TYPE] = errorType;
      emitEvent(spec.logger(), { name: spec.eventName, severity: spec.severity[state], attributes });
    });
    return true;
  }
}
