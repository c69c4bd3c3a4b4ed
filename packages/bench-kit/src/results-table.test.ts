import { describe, expect, it } from 'vitest';
import type { CaseResult } from './bench-case.ts';
import { resultsTable } from './results-table.ts';

const rowsOf = (table: string) => table.split('\n').slice(2).map((line) => line.slice(2, -2).split(' | '));

describe('resultsTable', () => {
  const results: CaseResult[] = [
    { name: 'bare', nsPerOp: 600, rme: 1.25 },
    { name: 'peer', nsPerOp: 2600, rme: 2, bare: 'bare', peer: 'peer' },
    { name: 'ours', nsPerOp: 1600, rme: 0.5, bare: 'bare', peer: 'peer', configuration: 'metrics only', allocation: { gcsPerMillionOps: 12.34, bytesPerOp: 5.5 } },
  ];
  const floor = { cost: (configuration: string) => (configuration === 'metrics only' ? 500 : Number.NaN) };

  it('shows time, margin, added over bare, ratios to the peer and the SDK floor, and allocations', () => {
    const table = resultsTable(results, { floor });
    expect(table.split('\n').slice(0, 2)).toEqual([
      '| case | ns/op | ± | added over bare | ratio to peer | SDK floor ratio | GCs / 1M ops | B/op |',
      '|---|---:|---:|---:|---:|---:|---:|---:|',
    ]);
    expect(rowsOf(table)).toEqual([
      ['bare', '600', '±1.3 %', '', '', '', '', ''],
      ['peer', '2600', '±2.0 %', '+2000 (333 %)', '', '', '', ''],
      // added 1000 of the peer's 2000; floor 500 of the peer's 2000
      ['ours', '1600', '±0.5 %', '+1000 (167 %)', '0.500', '0.250 (500 ns)', '12.3', '5.50'],
    ]);
  });

  it('compares times directly with the peer when a case has no bare', () => {
    const table = resultsTable([
      { name: 'baseline', nsPerOp: 235.7, rme: 1 },
      { name: 'fast', nsPerOp: 26.8, rme: 1, peer: 'baseline' },
    ]);
    expect(rowsOf(table)[1]).toEqual(['fast', '26.8', '±1.0 %', '', '0.114', '', '', '']);
  });

  it('shows times in the unit asked for', () => {
    const table = resultsTable([{ name: 'start', nsPerOp: 412_000_000, rme: 3 }, { name: 'wait', nsPerOp: 45_700, rme: 3 }], { unit: 'ms' });
    expect(table.split('\n')[0]).toContain('| ms/op |');
    expect(rowsOf(table).map((row) => row[1])).toEqual(['412', '0.0457']);
  });

  it('refuses a role that names no case of the table', () => {
    expect(() => resultsTable([{ name: 'a', nsPerOp: 1, rme: 0, bare: 'missing' }])).toThrow('no case named "missing"');
  });
});
