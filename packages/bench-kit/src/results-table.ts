import type { CaseResult } from './bench-case.ts';
import { markdownTable } from './markdown-table.ts';
import type { SdkConfiguration } from './sdk-configuration.ts';

/** The unit a table shows times in; results are kept in ns. */
export type TimeUnit = 'ns' | 'µs' | 'ms';
const NS_PER: Record<TimeUnit, number> = { ns: 1, µs: 1e3, ms: 1e6 };

/** What the table needs of an SDK floor: the SDK's ns per operation for a configuration. */
export interface FloorCost {
  cost(configuration: SdkConfiguration): number;
}

/** How `resultsTable` shows results. */
export interface TableOptions {
  /** Default 'ns'. */
  unit?: TimeUnit;
  /** Fills the SDK floor column for cases with a configuration and a peer. */
  floor?: FloorCost;
}

/** What each column of `resultsTable` means, to print once under the tables. */
export const RESULTS_LEGEND = [
  '- ±: relative margin of error of the mean (95 %).',
  "- added over bare: the case's time minus its bare library's (the library with nothing added).",
  "- ratio to peer: added over bare divided by the peer's added over bare (time over the peer's time when a case has no bare).",
  "- SDK floor ratio: what the OpenTelemetry SDK alone needs per operation for the case's configuration (in parentheses), divided by the peer's added over bare.",
  '- GCs / 1M ops, B/op: garbage collections per million operations and bytes allocated per operation, counted over separate runs after timing.',
].join('\n');

const HEADER = ['case', 'ns/op', '±', 'added over bare', 'ratio to peer', 'SDK floor ratio', 'GCs / 1M ops', 'B/op'];
const ALIGN = ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'] as const;

/** A figure with a precision that suits its size: 0.0457, 26.8, 626. */
const figure = (value: number) => (Math.abs(value) < 100 ? value.toPrecision(3) : value.toFixed(0));
const ratio = (value: number) => (Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3));

/**
 * The one results table every benchmark prints: case, time per operation, its margin of
 * error, added over bare, ratio to peer, SDK floor ratio, and the allocation counts. Roles
 * (bare, peer) name other cases of the same table.
 */
export function resultsTable(results: readonly CaseResult[], options: TableOptions = {}): string {
  const unit = options.unit ?? 'ns';
  const byName = new Map(results.map((result) => [result.name, result]));
  const nsOf = (name: string) => {
    const result = byName.get(name);
    if (result === undefined) throw new Error(`no case named ${JSON.stringify(name)} in this table`);
    return result.nsPerOp;
  };
  const rows = results.map((result) => {
    const { name, nsPerOp, rme, bare, peer, configuration, allocation } = result;
    const bareNs = bare === undefined ? 0 : nsOf(bare);
    const added = nsPerOp - bareNs;
    const peerAdded = peer === undefined ? undefined : nsOf(peer) - bareNs;
    const addedCell = bare === undefined || bare === name ? '' : `+${figure(added / NS_PER[unit])} (${((added / bareNs) * 100).toFixed(0)} %)`;
    const peerCell = peerAdded === undefined || peer === name ? '' : ratio(added / peerAdded);
    let floorCell = '';
    if (configuration !== undefined && options.floor !== undefined) {
      const floor = options.floor.cost(configuration);
      const floorNs = `(${figure(floor / NS_PER[unit])} ${unit})`;
      floorCell = peerAdded === undefined ? floorNs : `${ratio(floor / peerAdded)} ${floorNs}`;
    }
    return [
      name,
      figure(nsPerOp / NS_PER[unit]),
      `±${rme.toFixed(1)} %`,
      addedCell,
      peerCell,
      floorCell,
      allocation === undefined ? '' : allocation.gcsPerMillionOps.toFixed(1),
      allocation === undefined ? '' : figure(allocation.bytesPerOp),
    ];
  });
  return markdownTable(unit === 'ns' ? HEADER : HEADER.map((cell) => (cell === 'ns/op' ? `${unit}/op` : cell)), rows, ALIGN);
}
