import { UNNAMED } from '@dyntel/instrumentation-kit';
import { retryNames } from './naming';
import { RetryPolicy } from './retry-policy';

// Names can come from a user callback: past this many, a policy is built per call and not kept.
const KEPT_POLICIES = 1_000;

/**
 * The retry policies seen, by chosen name. Retry libraries have no objects that live as long
 * as a retry does (a p-retry call is a function and its options, both often made per call),
 * so a retry is known by its name, and each name is labelled once.
 */
export class RetryPolicies {
  readonly #byName = new Map<string, RetryPolicy>();
  readonly #unnamed = new RetryPolicy(UNNAMED);

  /** The policy for a chosen name (given, configured or the function's own); the unnamed one for none. */
  forName(name: string | undefined): RetryPolicy {
    if (name === undefined) return this.#unnamed;
    let policy = this.#byName.get(name);
    if (policy === undefined) {
      policy = new RetryPolicy(retryNames.labelFor(name));
      if (this.#byName.size < KEPT_POLICIES) this.#byName.set(name, policy);
    }
    return policy;
  }
}

/** A function's own name when it is one a person gave: not empty, not `anonymous`, without `bound ` prefixes. */
export function ownFunctionName(fn: unknown): string | undefined {
  if (typeof fn !== 'function') return undefined;
  let raw: unknown;
  try {
    raw = fn.name;
  } catch {
    return undefined;
  }
  if (typeof raw !== 'string') return undefined;
  let name = raw;
  while (name.startsWith('bound ')) name = name.slice(6);
  return name === '' || name === 'anonymous' ? undefined : name;
}
