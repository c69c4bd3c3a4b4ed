import { packageInfo } from '@dyntel/test-support';
import type { RetryInstrumentationConfig } from '../../src/types';
import { Harness } from './harness';

/** What the tests call on any p-retry major: its function, its AbortError, and makeRetriable from 7 on. */
export interface PRetryModule {
  default: (input: (attempt: number) => unknown, options?: object) => Promise<unknown>;
  AbortError: new (message: string | Error) => Error;
  makeRetriable?: (fn: (...args: never[]) => unknown, options?: object) => (...args: unknown[]) => Promise<unknown>;
}

/**
 * A harness whose instrumentation counts as enabled, as it is once its hooks are installed
 * (the shared harness creates it disabled so that no hook patches what the test process loads;
 * p-retry's wrapper passes calls through while disabled).
 */
export class PRetryHarness extends Harness {
  constructor(config: RetryInstrumentationConfig = {}) {
    super(config);
    (this.instrumentation as unknown as { _enabled: boolean })._enabled = true;
  }

  /**
   * Loads one p-retry major patched as the hooks patch it: 4 through require, the others
   * through import, their namespace copied into an object the patch can write (as
   * import-in-the-middle hands the hook one; a real namespace is read-only).
   */
  async pRetry(pkg: string): Promise<PRetryModule> {
    if (pkg === 'p-retry-v4') {
      const pRetry = this.require<PRetryModule['default'] & PRetryModule>(pkg);
      return { default: pRetry, AbortError: pRetry.AbortError };
    }
    return this.patch({ ...((await import(pkg)) as PRetryModule) }, packageInfo(pkg));
  }
}
