/** A function being wrapped, as the patchers see it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFunction = (this: any, ...args: any[]) => any;

/**
 * The wrapping primitives of the instrumentation (shimmer through InstrumentationBase),
 * handed to the library patchers so that they wrap and unwrap the same way.
 */
export interface Shim {
  wrap(target: object, name: string, wrapper: (original: AnyFunction) => AnyFunction): void;
  unwrap(target: object, name: string): void;
}
