import { TraceState } from '@opentelemetry/core';
import { describe, expect, it } from 'vitest';
import { scanOt, withThreshold, withoutThreshold } from './ot-trace-state';

describe('scanOt', () => {
  it('finds valid th and rv sub-keys in any order', () => {
    const ot = 'rv:0123456789abcd;xx:1;th:fd70a';
    const scan = { ...scanOt(ot) };
    expect(ot.substr(scan.thStart, scan.thLength)).toBe('fd70a');
    expect(ot.substr(scan.rvStart, 14)).toBe('0123456789abcd');
  });

  it.each([
    ['th:', -1, -1],
    ['th:123456789012345', -1, -1],
    ['th:zz', -1, -1],
    ['rv:0123', -1, -1],
    ['rv:0123456789abcg', -1, -1],
    [`th:8;pad:${'x'.repeat(260)}`, -1, -1],
  ])('ignores invalid values: %s', (ot, th, rv) => {
    const scan = scanOt(ot);
    expect([scan.thStart, scan.rvStart]).toEqual([th, rv]);
  });
});

describe('writing and erasing th', () => {
  it('puts th first, keeps rv, other ot members and other vendors', () => {
    const parent = new TraceState('a=1,ot=rv:0123456789abcd;th:c;k:v,b=2');
    expect(withThreshold(parent, '8').serialize()).toBe('ot=th:8;rv:0123456789abcd;k:v,a=1,b=2');
    expect(withThreshold(undefined, 'e666').serialize()).toBe('ot=th:e666');
  });

  it('erases th and drops an ot entry left empty; returns the same object when there is none', () => {
    expect(withoutThreshold(new TraceState('ot=th:c;rv:0123456789abcd,b=2'))?.serialize()).toBe('ot=rv:0123456789abcd,b=2');
    expect(withoutThreshold(new TraceState('ot=th:c,b=2'))?.serialize()).toBe('b=2');
    const untouched = new TraceState('ot=rv:0123456789abcd;zth:1,b=2');
    expect(withoutThreshold(untouched)).toBe(untouched);
    expect(withoutThreshold(undefined)).toBeUndefined();
  });
});
