import type { Context, Histogram, Span } from '@opentelemetry/api';
import { monotonicMillis } from './clock';
import type { Component } from './component';

/**
 * One operation in flight (a protected call, a retried call or one attempt, a pool acquire,
 * an agent step). Families extend it with what their library tells them while it runs.
 */
export class Operation<C extends Component = Component> {
  /** The operation's span, absent when spans are not wanted (requireParentSpan). */
  span: Span | undefined = undefined;
  /** The context to run the operation in, absent when there is nothing to propagate. */
  context: Context | undefined = undefined;
  readonly startMillis = monotonicMillis();

  constructor(readonly component: C) {}
}

/**
 * One kind of operation of a family, generic over its closed outcome enum: which attribute
 * carries the outcome, which outcome is a success (no `error.type`), where durations go,
 * and what the family adds to a recording span. One object per kind, created once: the
 * recorder calls it with no closure per operation.
 */
export interface OperationKind<Outcome extends string, Op extends Operation> {
  /** What diagnostics call it (`circuit breaker call`). */
  readonly label: string;
  /** The attribute that carries the outcome on the span and the histogram; none for kinds without outcomes. */
  readonly outcomeAttribute: string | undefined;
  /** The outcome that carries no `error.type`. */
  readonly successOutcome: Outcome;
  /** The duration histogram, in seconds, on the current meter. */
  histogram(): Histogram;
  /**
   * Whether the histogram records only operations that ended in {@link successOutcome}, for a
   * duration the contract defines only for a success (a pool's wait time is the time it took
   * to obtain a connection). All operations by default.
   */
  readonly durationOnSuccessOnly?: boolean;
  /** Adds the family's attributes to a recording span when it starts and runs the request hook. */
  onStart?(span: Span, operation: Op): void;
  /** Adds the family's attributes to a recording span before it ends and runs the response hook. */
  onEnd?(span: Span, operation: Op, outcome: Outcome, error: unknown, rejected: boolean): void;
}
