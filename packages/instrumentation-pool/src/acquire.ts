import type { Histogram, Span } from '@opentelemetry/api';
import { Operation, runHook, type OperationKind } from '@dyntel/instrumentation-kit';
import type { TrackedPool } from './tracked-pool';
import type { PoolAcquireEndInfo, PoolInstrumentationConfig } from './types';

/** How an acquire ended; internal only: the contract's `pool.acquire` span has no outcome attribute. */
export type AcquireOutcome = 'success' | 'failure';

/** One acquire in flight: its span (when a parent span exists) and when it began. */
export class AcquireOperation extends Operation<TrackedPool> {
  /** The resource the caller got, once known. */
  resource: unknown = undefined;
  /** Whether it failed on the pool's acquire timeout. */
  timedOut = false;
}

/** What the acquire kind reads from its instrumentation, live. */
export interface AcquireKindHost {
  waitTime(): Histogram;
  config(): PoolInstrumentationConfig;
}

/**
 * The `pool.acquire` operation: its duration is the wait time, recorded only when a connection
 * was obtained (the contract's "waiting for one connection"; a failed acquire is counted by
 * the timeouts and errors counters instead), and the user's hooks.
 */
export function acquireKind(host: AcquireKindHost): OperationKind<AcquireOutcome, AcquireOperation> {
  return {
    label: 'pool acquire',
    outcomeAttribute: undefined,
    successOutcome: 'success',
    durationOnSuccessOnly: true,
    histogram: () => host.waitTime(),
    onStart(span: Span, operation: AcquireOperation) {
      const hook = host.config().requestHook;
      if (hook !== undefined) runHook('pool requestHook', hook, span, { library: operation.component.adapter.library, name: operation.component.label.spanAttribute });
    },
    onEnd(span: Span, operation: AcquireOperation, _outcome: AcquireOutcome, error: unknown) {
      const hook = host.config().responseHook;
      if (hook === undefined) return;
      const info: PoolAcquireEndInfo = {
        library: operation.component.adapter.library,
        name: operation.component.label.spanAttribute,
        resource: operation.resource,
        error,
        timedOut: operation.timedOut,
      };
      runHook('pool responseHook', hook, span, info);
    },
  };
}
