import { BackoffStrategy } from '@dyntel/semconv';
import type { AnyFunction } from '@dyntel/instrumentation-kit';
import type { RetryPlan } from './retry-call';
import { retryOptionsPlan } from './retry-operation';

/**
 * How a p-retry major works. 4-6 hand their options to a `retry` operation, which plans and
 * waits (its own instrumentation reports the waits); 7 and later run their own loop with
 * `shouldConsumeRetry`, `maxRetryTime` and a context object for the callbacks.
 */
export interface PRetryFamily {
  /** 7 and later: p-retry computes and waits its own delays. */
  readonly ownLoop: boolean;
  /** 5 and later honour `signal`. */
  readonly cancellable: boolean;
  /** 4 and 5 copy options with a spread over their defaults, so a key given as `undefined` overrides them; 6 and later use `??=`. */
  readonly spreadDefaults: boolean;
  /** 8 and later ask `shouldConsumeRetry` before `onFailedAttempt`; 7 after it. */
  readonly consumeFirst: boolean;
  /** 9 unwraps nested AbortErrors down to the first that wraps no Error; 4-8 take `originalError` once. */
  readonly unwrapsNested: boolean;
}

// p-retry's own defaults, the same in every major.
const DEFAULT_RETRIES = 10;
const DEFAULT_FACTOR = 2;
const DEFAULT_MIN_TIMEOUT = 1000;

/**
 * The family of the p-retry `original` comes from: by the installed major, or, when the
 * version is not known, by its signature (7 and later declare `options = {}`, so their
 * `length` is 1).
 */
export function pRetryFamily(original: AnyFunction, moduleVersion: string | undefined): PRetryFamily {
  const major = Number.parseInt(moduleVersion ?? '', 10);
  const ownLoop = Number.isNaN(major) ? original.length < 2 : major >= 7;
  // An unknown version with p-retry 7's signature is taken for the newest major.
  const newest = (floor: number) => ownLoop && (Number.isNaN(major) || major >= floor);
  return { ownLoop, cancellable: ownLoop || major >= 5, spreadDefaults: !ownLoop && major < 6, consumeFirst: newest(8), unwrapsNested: newest(9) };
}

/** What a p-retry call with these options (a copy of the caller's) is planned to be. */
export function pRetryPlan(family: PRetryFamily, options: Record<PropertyKey, unknown>): RetryPlan {
  if (!family.ownLoop) {
    // The options `retry.operation` gets from p-retry: retries defaulted as that major does.
    const retries = family.spreadDefaults ? ('retries' in options ? options.retries : DEFAULT_RETRIES) : (options.retries ?? DEFAULT_RETRIES);
    return retryOptionsPlan({ ...options, retries });
  }
  const retries = options.retries ?? DEFAULT_RETRIES;
  const factor = options.factor ?? DEFAULT_FACTOR;
  return {
    maxAttempts: typeof retries === 'number' && retries >= 0 && Number.isFinite(retries) ? Math.ceil(retries) + 1 : undefined,
    strategy: ownLoopStrategy(options.minTimeout ?? DEFAULT_MIN_TIMEOUT, factor === 0 ? 1 : factor, options.maxTimeout ?? Infinity, options.randomize === true),
  };
}

/**
 * How p-retry 7 and later compute delays (`minTimeout * factor ** retriesConsumed`, capped by
 * `maxTimeout`, times a random 1-2 with `randomize`): constant when every delay is the same
 * (no minimum, a cap at or below the minimum, or a factor of 1 without randomizing),
 * exponential when they grow; undefined otherwise (shrinking or randomized constant delays).
 */
function ownLoopStrategy(minTimeout: unknown, factor: unknown, maxTimeout: unknown, randomize: boolean): BackoffStrategy | undefined {
  if (typeof minTimeout !== 'number' || typeof factor !== 'number' || typeof maxTimeout !== 'number') return undefined;
  if (minTimeout === 0 || maxTimeout === 0) return BackoffStrategy.CONSTANT;
  if (factor >= 1 && maxTimeout <= minTimeout) return BackoffStrategy.CONSTANT;
  if (factor > 1) return BackoffStrategy.EXPONENTIAL;
  return factor === 1 && !randomize ? BackoffStrategy.CONSTANT : undefined;
}

/** p-retry's own options after its defaults, as its callbacks see them (`this`). */
interface OwnLoopOptions {
  minTimeout?: unknown;
  factor?: unknown;
  maxTimeout?: unknown;
  randomize?: unknown;
}

/**
 * The delay p-retry 7 waits before the retry that follows `retriesConsumed` consumed retries,
 * computed as p-retry 7 does after its callbacks; undefined when it is randomized (drawn after
 * the last callback) or the options are not p-retry's.
 */
export function ownLoopDelay(options: OwnLoopOptions, retriesConsumed: unknown): number | undefined {
  const { minTimeout, factor, maxTimeout, randomize } = options;
  if (randomize !== false || typeof minTimeout !== 'number' || typeof factor !== 'number' || typeof maxTimeout !== 'number' || typeof retriesConsumed !== 'number') return undefined;
  return Math.min(Math.round(minTimeout * factor ** Math.max(0, retriesConsumed)), maxTimeout);
}
