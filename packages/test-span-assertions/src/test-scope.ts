import { context, createContextKey, propagation, type Context } from '@opentelemetry/api';

/** Baggage entry that carries the test scope across process-internal HTTP hops. */
export const SCOPE_BAGGAGE_KEY = 'dyntel.test.scope';
const SCOPE_KEY = createContextKey('dyntel.test.scope');

let nextScope = 0;

/** A fresh scope id, unique within the process. */
export function newScopeId(label?: string): string {
  nextScope += 1;
  return label ? `${nextScope}:${label}` : String(nextScope);
}

/** The context with the scope set both as a context value and as a baggage entry. */
export function contextWithScope(parent: Context, scope: string): Context {
  const baggage = (propagation.getBaggage(parent) ?? propagation.createBaggage()).setEntry(SCOPE_BAGGAGE_KEY, {
    value: scope,
  });
  return propagation.setBaggage(parent.setValue(SCOPE_KEY, scope), baggage);
}

/**
 * The scope a piece of telemetry belongs to: the context value when the work ran in-process,
 * else the baggage entry (a server span whose context was extracted from an incoming request).
 */
export function scopeOfContext(ctx: Context | undefined): string | undefined {
  if (!ctx) return undefined;
  const direct = ctx.getValue(SCOPE_KEY);
  if (typeof direct === 'string') return direct;
  return propagation.getBaggage(ctx)?.getEntry(SCOPE_BAGGAGE_KEY)?.value;
}

/** The scope of the currently active context, if any. */
export function activeScope(): string | undefined {
  return scopeOfContext(context.active());
}

/**
 * Runs `fn` in a fresh test scope; throws when no context manager carries it (context.with()
 * is then a no-op and the scope would silently vanish).
 */
export function runInNewScope<T>(fn: () => T, label?: string): T {
  const scope = newScopeId(label);
  return context.with(contextWithScope(context.active(), scope), () => {
    if (activeScope() !== scope) {
      throw new Error(
        'recorder.isolate() needs an OpenTelemetry context manager to carry the test scope: call installRecorder(), ' +
          'start your NodeSDK, or register an AsyncLocalStorageContextManager before isolating tests.',
      );
    }
    return fn();
  });
}
