import type { Attributes } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE } from '@dyntel/semconv';

// Past this many keys a set is built per call and not kept: the keys are names through a
// cardinality guard (or span names), so this is never reached but by a misbehaving caller.
const SETS_KEPT = 1024;

/**
 * Attribute sets made once per key and handed out again, never changed once made: the SDK
 * spans of one agent, tool or model all record the same sets, and building each again per SDK
 * span would be garbage and hashing of new objects the contract does not need. A set with
 * `error.type` is kept apart, per error type.
 */
export class AttributeSets<K> {
  readonly #sets = new Map<K, Attributes>();
  readonly #failed = new Map<string, Map<K, Attributes>>();

  constructor(private readonly build: (key: K) => Attributes) {}

  /** The set for `key`, with `error.type` when `errorType` is given. */
  get(key: K, errorType?: string): Attributes {
    const sets = errorType === undefined ? this.#sets : this.#failedSets(errorType);
    let set = sets.get(key);
    if (set === undefined) {
      set = errorType === undefined ? this.build(key) : { ...this.build(key), [ATTR_ERROR_TYPE]: errorType };
      if (sets.size < SETS_KEPT) sets.set(key, set);
    }
    return set;
  }

  #failedSets(errorType: string): Map<K, Attributes> {
    let sets = this.#failed.get(errorType);
    if (sets === undefined) {
      sets = new Map();
      if (this.#failed.size < SETS_KEPT) this.#failed.set(errorType, sets);
    }
    return sets;
  }
}

/** Strings made once per key and handed out again (span names), with the same bound as {@link AttributeSets}. */
export class DerivedStrings {
  readonly #strings = new Map<string, string>();

  constructor(private readonly build: (key: string) => string) {}

  /** The string for `key`. */
  get(key: string): string {
    let value = this.#strings.get(key);
    if (value === undefined) {
      value = this.build(key);
      if (this.#strings.size < SETS_KEPT) this.#strings.set(key, value);
    }
    return value;
  }
}
