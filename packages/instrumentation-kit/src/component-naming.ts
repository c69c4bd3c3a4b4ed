import { OTHER_VALUE } from '@dyntel/semconv';
import { capNameLength, cardinalityGuardFor, looksGenerated } from './cardinality';
import { UNNAMED, type ComponentLabel } from './component';
import { invalidValueMessage } from './problem-message';

// On globalThis so that a name given through the ESM build of a package is seen by the CJS
// build that `--require @dyntel/register` loaded, and the other way round.
const NAMES_KEY = Symbol.for('@dyntel/instrumentation-kit/component-names');

function givenNames(nameAttribute: string): WeakMap<object, string> {
  const holder = globalThis as { [NAMES_KEY]?: Map<string, WeakMap<object, string>> };
  const registry = (holder[NAMES_KEY] ??= new Map());
  let names = registry.get(nameAttribute);
  if (names === undefined) {
    names = new WeakMap();
    registry.set(nameAttribute, names);
  }
  return names;
}

/**
 * The names of one family of components (breakers, retry policies, pools), carried by one
 * attribute. A name is chosen in this order: given with {@link ComponentNaming.give} (the
 * family's helper, such as `nameCircuitBreaker`), else the config callback's, else the
 * library's own. The contract then applies: names are cut to the length limit, generated-looking
 * names are dropped everywhere, and metrics see at most the cardinality limit of distinct
 * names per process, then `_OTHER`.
 */
export class ComponentNaming {
  readonly #given: WeakMap<object, string>;

  constructor(
    /** The attribute that carries this family's names. */
    readonly nameAttribute: string,
    /** What the family's objects are, for error messages (`a circuit breaker object (...)`). */
    private readonly componentDescription: string,
  ) {
    this.#given = givenNames(nameAttribute);
  }

  /** Gives `component` a name; `source` is the public helper that was called, for its error messages. */
  give<T extends object>(source: string, component: T, name: string): T {
    if ((typeof component !== 'object' && typeof component !== 'function') || component === null) {
      throw new TypeError(invalidValueMessage({ source, subject: 'first argument', value: component, expected: this.componentDescription }));
    }
    if (typeof name !== 'string' || name.trim() === '') {
      throw new TypeError(invalidValueMessage({ source, subject: 'name', value: name, expected: 'a non-empty string' }));
    }
    this.#given.set(component, name);
    return component;
  }

  /** The name given with {@link give}, if any. */
  given(component: object): string | undefined {
    return this.#given.get(component);
  }

  /**
   * Labels a component: the given name, else `fromConfig()` (called only when no name was
   * given; a non-string or empty result is ignored), else `libraryName`.
   */
  label(component: object, libraryName: string | undefined, fromConfig?: () => unknown): ComponentLabel {
    let chosen = this.#given.get(component);
    if (chosen === undefined && fromConfig !== undefined) {
      const configured = fromConfig();
      if (typeof configured === 'string' && configured !== '') chosen = configured;
    }
    return this.labelFor(chosen ?? libraryName);
  }

  /**
   * Labels a chosen name by the contract's rules (cut, generated names dropped, cardinality
   * guarded), for families whose components are known by name rather than by object.
   */
  labelFor(chosen: string | undefined): ComponentLabel {
    if (chosen === undefined || chosen === '') return UNNAMED;
    const name = capNameLength(chosen);
    if (looksGenerated(name)) return UNNAMED;
    const metricName = cardinalityGuardFor(this.nameAttribute).admit(name);
    return { metricName, spanAttribute: name, spanSuffix: metricName === OTHER_VALUE ? undefined : metricName };
  }
}
