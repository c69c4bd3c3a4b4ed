import { DEFAULT_CARDINALITY_LIMIT, NAME_LENGTH_LIMIT, OTHER_VALUE } from '@dyntel/semconv';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const LONG_HEX = /(?:^|[^0-9a-z])(?=[0-9a-f]*\d)[0-9a-f]{16,}(?:$|[^0-9a-z])/i;
const NUMBER = /^[+-]?\d+(?:\.\d+)?$/;

/**
 * Whether a name looks generated rather than chosen by a person: a pure number, or a name
 * containing a UUID or a run of 16+ hex digits. Such names would give every instance its
 * own metric series, so the contract drops them.
 */
export function looksGenerated(name: string): boolean {
  return NUMBER.test(name) || UUID.test(name) || LONG_HEX.test(name);
}

/**
 * A name taken from user data as telemetry may carry it: at most {@link NAME_LENGTH_LIMIT}
 * characters (a surrogate pair is never split), so that one huge name cannot inflate every
 * span, series and scrape that carries it.
 */
export function capNameLength(name: string): string {
  if (name.length <= NAME_LENGTH_LIMIT) return name;
  const end = /[\ud800-\udbff]/.test(name.charAt(NAME_LENGTH_LIMIT - 1)) ? NAME_LENGTH_LIMIT - 1 : NAME_LENGTH_LIMIT;
  return name.slice(0, end);
}

/**
 * Keeps one metric attribute's value set bounded: generated-looking names are dropped and,
 * once `limit` distinct values have been seen, every new value becomes `_OTHER`.
 */
export class CardinalityGuard {
  readonly #seen = new Set<string>();

  constructor(
    /** The attribute this guard bounds, for diagnostics. */
    readonly attribute: string,
    readonly limit: number = DEFAULT_CARDINALITY_LIMIT,
  ) {}

  /** The value to record, or `undefined` when the name must be dropped. */
  admit(value: string | undefined | null): string | undefined {
    if (value === undefined || value === null || value === '') return undefined;
    if (this.#seen.has(value)) return value;
    if (looksGenerated(value)) return undefined;
    if (this.#seen.size >= this.limit) return OTHER_VALUE;
    this.#seen.add(value);
    return value;
  }

  /** How many distinct values have been admitted. */
  get size(): number {
    return this.#seen.size;
  }
}

// Guards live on globalThis so that the CJS and ESM builds of a package, loaded side by side
// in one process, share one cap per attribute as the contract requires.
const REGISTRY_KEY = Symbol.for('@dyntel/semconv/cardinality-guards');
type Registry = Map<string, CardinalityGuard>;

/** The process-wide guard of one attribute. */
export function cardinalityGuardFor(attribute: string): CardinalityGuard {
  const holder = globalThis as { [REGISTRY_KEY]?: Registry };
  const registry = (holder[REGISTRY_KEY] ??= new Map());
  let guard = registry.get(attribute);
  if (!guard) {
    guard = new CardinalityGuard(attribute);
    registry.set(attribute, guard);
  }
  return guard;
}
