// PromQL the dashboards share. `$__rate_interval` and `$__range` are Grafana's: the rate window
// it derives from the scrape interval and the panel's resolution, and the dashboard's time range.

/** The `q` quantile of a histogram over Grafana's rate window, by `by` (`le` added). */
export function quantile(q: number, histogram: string, by: string, filter: string): string {
  return `histogram_quantile(${q}, sum by (${by}, le) (rate(${histogram}_bucket{${filter}}[$__rate_interval])))`;
}

/**
 * The `q` quantile of a histogram over the whole life of each process, by `by` (`le` added): for
 * what happens too rarely for any window to hold, such as a pool opening its connections at start.
 */
export function lifetimeQuantile(q: number, histogram: string, by: string, filter: string): string {
  return `histogram_quantile(${q}, sum by (${by}, le) (${histogram}_bucket{${filter}}))`;
}
