import type { AnyFunction, ModulePatcher } from '@dyntel/instrumentation-kit';
import { reportInstrumentationError } from '@dyntel/instrumentation-kit';
import type { ActorTelemetry } from './actor-telemetry';
import { isOurInspect, mergedInspect } from './merged-inspect';

/** The exports that create a root actor: `interpret` is XState's deprecated alias of `createActor`. */
const FACTORIES = ['createActor', 'interpret'] as const;

/**
 * Whether a release of XState v5 sends no `@xstate.microstep` inspection events (those before
 * 5.7), so that its transitions must be told from snapshots. The hooks call the patcher only for
 * versions in range, so the major is 5.
 */
export function withoutMicrosteps(moduleVersion: string | undefined): boolean {
  const minor = /^\d+\.(\d+)\./.exec(moduleVersion ?? '')?.[1];
  return minor !== undefined && Number(minor) < 7;
}

type Holder = Record<string, unknown>;

// On globalThis so that a wrapper installed by one build of this package (CJS or ESM) is
// recognised by the other: the ESM entry of xstate re-exports its CJS build, so both can meet
// the same function, and it must be wrapped once.
const WRAPPERS_KEY = Symbol.for('@dyntel/instrumentation-agents/xstate-wrappers');

/** Every wrapper installed, with the function it wraps. */
function wrappers(): WeakMap<AnyFunction, AnyFunction> {
  const holder = globalThis as { [WRAPPERS_KEY]?: WeakMap<AnyFunction, AnyFunction> };
  return (holder[WRAPPERS_KEY] ??= new WeakMap());
}

/**
 * Patches XState v5's `createActor` (and `interpret`) so that every root actor's system is
 * inspected: our inspector is merged into the `inspect` option XState registers on the
 * system, which then reports every actor spawned in it. The exports are replaced in the CJS
 * exports object, in an ESM namespace and in its `default` (the same CJS exports, which
 * `require` hands out next), each once; a function that is already a wrapper is left alone.
 * Releases before 5.7 get the observer that tells transitions from snapshots.
 */
export class CreateActorPatcher implements ModulePatcher<Holder> {
  readonly moduleName = 'xstate';
  readonly #wrapped = new WeakMap<AnyFunction, AnyFunction>();

  constructor(
    private readonly telemetry: ActorTelemetry,
    readonly versions: string,
  ) {}

  resolve(moduleExports: unknown): Holder | undefined {
    return hasFactory(moduleExports) ? moduleExports : undefined;
  }

  prototypeOf(target: Holder): object {
    return target;
  }

  patch(target: Holder, moduleVersion: string | undefined): void {
    const bySnapshots = withoutMicrosteps(moduleVersion);
    this.#patchHolder(target, bySnapshots);
    const fallback = target.default;
    if (fallback !== target && hasFactory(fallback)) this.#patchHolder(fallback, bySnapshots);
  }

  unpatch(target: Holder): void {
    for (const holder of [target, target.default]) {
      if (!hasFactory(holder)) continue;
      for (const name of FACTORIES) {
        const original = wrappers().get(holder[name] as AnyFunction);
        if (original !== undefined) holder[name] = original;
      }
    }
  }

  #patchHolder(holder: Holder, bySnapshots: boolean): void {
    for (const name of FACTORIES) {
      const original = holder[name];
      if (typeof original !== 'function' || wrappers().has(original as AnyFunction)) continue;
      holder[name] = this.#wrapperOf(original as AnyFunction, bySnapshots);
    }
  }

  #wrapperOf(original: AnyFunction, bySnapshots: boolean): AnyFunction {
    let wrapper = this.#wrapped.get(original);
    if (wrapper !== undefined) return wrapper;
    const telemetry = this.telemetry;
    wrapper = function createActor(this: unknown, logic: unknown, ...rest: unknown[]): unknown {
      const options = withInspector(telemetry, rest[0], bySnapshots);
      if (options === undefined) return Reflect.apply(original, this, [logic, ...rest]);
      return Reflect.apply(original, this, [logic, options, ...rest.slice(1)]);
    };
    Object.defineProperty(wrapper, 'name', { value: original.name, configurable: true });
    Object.defineProperty(wrapper, 'length', { value: original.length, configurable: true });
    this.#wrapped.set(original, wrapper);
    wrappers().set(wrapper, original);
    return wrapper;
  }
}

/**
 * The options with our inspector merged in, or undefined to pass them as they are: while
 * disabled, for a child (XState inspects a system through its root only), when a dyntel
 * inspector is already there, or when anything fails.
 */
function withInspector(telemetry: ActorTelemetry, options: unknown, bySnapshots: boolean): object | undefined {
  try {
    if (!telemetry.host.enabled()) return undefined;
    if (options !== undefined && (typeof options !== 'object' || options === null)) return undefined;
    const given = options as { parent?: unknown; inspect?: unknown } | undefined;
    if (given?.parent !== undefined || isOurInspect(given?.inspect)) return undefined;
    const system = telemetry.newSystem();
    return { ...given, inspect: mergedInspect(bySnapshots ? system.observeSnapshots : system.observe, given?.inspect) };
  } catch (error) {
    reportInstrumentationError('@dyntel/instrumentation-agents: instrumenting an XState actor', error);
    return undefined;
  }
}

function hasFactory(value: unknown): value is Holder {
  return typeof value === 'object' && value !== null && typeof (value as Holder).createActor === 'function';
}
