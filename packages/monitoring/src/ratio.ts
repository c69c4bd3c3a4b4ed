/**
 * `numerator / denominator`, two sums grouped alike, that is 0 rather than no data for the groups
 * where the denominator has series and the numerator none: a healthy service records no failure
 * at all, and a ratio of failures would otherwise leave its dashboard panel empty.
 */
export function ratioOrZero(numerator: string, denominator: string): string {
  return `(${numerator} or ${denominator} * 0) / ${denominator}`;
}
