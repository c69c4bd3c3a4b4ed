import type { Allocation } from './allocations.ts';
import type { SdkConfiguration } from './sdk-configuration.ts';

/** Undoes a case's set-up, and may check what the case did (e.g. that every call was recorded). */
export type Teardown = () => void | Promise<void>;

/** How a case relates to the others of its table. */
export interface CaseRoles {
  /** The case this one adds work to (the library alone): "added over bare" is measured from it. */
  bare?: string;
  /** The nearest alternative this case is compared with: "ratio to peer". */
  peer?: string;
  /** The SDK work each operation of this case needs: its "SDK floor". */
  configuration?: SdkConfiguration;
}

/** One benchmark case. */
export interface BenchCase extends CaseRoles {
  name: string;
  /** One measured iteration, of `opsPerRun` operations; may return a promise. */
  run: () => unknown;
  /** Operations per iteration (a batch amortises the timer), so that figures are per operation. Default 1. */
  opsPerRun?: number;
  /** Runs before the case is measured; what it returns runs after it. */
  setup?: () => Teardown | void | Promise<Teardown | void>;
}

/** What a case measured. */
export interface CaseResult extends CaseRoles {
  name: string;
  nsPerOp: number;
  /** Relative margin of error of the mean, in percent. */
  rme: number;
  /** Absent when allocation was not counted. */
  allocation?: Allocation;
}
