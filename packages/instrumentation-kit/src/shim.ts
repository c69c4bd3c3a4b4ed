/** A function being wrapped, as patchers see it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFunction = (this: any, ...args: any[]) => any;

/**
 * The wrapping primitives of an instrumentation (shimmer through InstrumentationBase), handed
 * to library patchers so that every patcher wraps and unwraps the same way.
 */
export interface Shim {
  wrap(target: object, name: string, wrapper: (original: AnyFunction) => AnyFunction): void;
  /** Restores `target[name]`; does nothing when it is not a function. */
  unwrap(target: object, name: string): void;
}
