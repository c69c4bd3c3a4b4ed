import { describe, expect, it } from 'vitest';
import { Threshold, encodeProbability, randomnessReaches, randomnessReachesEncoded, thresholdProbability } from './threshold';

// The table of "Converting floating-point probability to threshold value" in the
// specification (trace/tracestate-probability-sampling.md): 1-in-N, then th at precision 3, 4, 5.
const SPEC_TABLE: readonly [number, string, string, string][] = [
  [1, '0', '0', '0'],
  [2, '8', '8', '8'],
  [3, 'aab', 'aaab', 'aaaab'],
  [4, 'c', 'c', 'c'],
  [5, 'ccd', 'cccd', 'ccccd'],
  [8, 'e', 'e', 'e'],
  [10, 'e66', 'e666', 'e6666'],
  [16, 'f', 'f', 'f'],
  [100, 'fd71', 'fd70a', 'fd70a4'],
  [1000, 'ffbe7', 'ffbe77', 'ffbe76d'],
  [10000, 'fff972', 'fff9724', 'fff97247'],
  [100000, 'ffff584', 'ffff583a', 'ffff583a5'],
  [1000000, 'ffffef4', 'ffffef39', 'ffffef391'],
];

describe('encodeProbability', () => {
  it.each(SPEC_TABLE)('1 in %i matches the specification table at precision 3, 4 and 5', (n, p3, p4, p5) => {
    expect([3, 4, 5].map((precision) => encodeProbability(1 / n, precision))).toEqual([p3, p4, p5]);
  });

  it('writes the exact 56-bit threshold at precision 14', () => {
    expect(encodeProbability(0.01, 14)).toBe('fd70a3d70a3d71');
    expect(encodeProbability(0.5, 14)).toBe('8');
  });

  it('gives the specification example for 1%: th fd70a4 is 71337018784743424', () => {
    expect(new Threshold('fd70a4').value).toBe(71337018784743424n);
  });
});

describe('Threshold', () => {
  it('reports the probability and adjusted count the threshold really applies', () => {
    const t = new Threshold('fd70a');
    expect(t.probability).toBeCloseTo(0.010000228881835938, 15);
    expect(t.adjustedCount).toBeCloseTo(99.99771123402633, 9);
    expect(new Threshold('0').probability).toBe(1);
    expect(thresholdProbability('c')).toBe(0.25);
  });
});

describe('randomnessReaches', () => {
  const t = new Threshold('8');
  it('keeps R >= T and drops R < T, reading the last 14 digits of a trace id', () => {
    expect(randomnessReaches('ffffffffffffffffff7fffffffffffff', 18, t.digits)).toBe(false);
    expect(randomnessReaches('00000000000000000080000000000000', 18, t.digits)).toBe(true);
    expect(randomnessReaches('000000000000000000FFFFFFFFFFFFFF', 18, t.digits)).toBe(true);
  });

  it('compares against a th value inside a string, padded with zeros', () => {
    const ot = 'rv:fd70a4ffffffff;th:fd70a4';
    expect(randomnessReachesEncoded(ot, 3, ot, 21, 6)).toBe(true);
    expect(randomnessReachesEncoded('fd70a3ffffffffff', 0, ot, 21, 6)).toBe(false);
    expect(randomnessReachesEncoded('fd70a400000000', 0, ot, 21, 6)).toBe(true);
  });
});
