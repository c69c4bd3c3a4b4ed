import { Harness } from './harness';

/** What the tests call on any p-retry major: its function, its AbortError, and makeRetriable from 7 on. */
export interface PRetryModule {
  default: (input: (attempt: number) => unknown, options?: object) => Promise<unknown>;
  AbortError: new (message: string | Error) => Error;
  makeRetriable?: (fn: (...args: never[]) => unknown, options?: object) => (...args: unknown[]) => Promise<unknown>;
}

/** The shared harness, with the p-retry majors loaded as the hooks load them. */
export class PRetryHarness extends Harness {
  /** Loads one p-retry major patched as the hooks patch it: 4 through require, the others through import. */
  async pRetry(pkg: string): Promise<PRetryModule> {
    if (pkg === 'p-retry-v4') {
      const pRetry = this.require<PRetryModule['default'] & PRetryModule>(pkg);
      return { default: pRetry, AbortError: pRetry.AbortError };
    }
    return this.import<PRetryModule>(pkg);
  }
}
