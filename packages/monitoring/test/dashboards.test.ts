// The Grafana dashboards the package ships, checked without a server: they are the generator's
// output, every query parses (Prometheus' own PromQL grammar) and selects only metrics the pack
// emits, and every panel and variable queries the dashboard's data source variable. The
// end-to-end test (dashboards.e2e.test.ts) runs the same queries against live data.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as semconv from '@dyntel/semconv';
import { describe, expect, it } from 'vitest';
import { dashboardJson, dyntelDashboards, dyntelRules, type Dashboard, type RuleParameters } from '../src/index';
import { panelQueries, selectedMetrics, variableQueries } from './dashboard-queries';

const DASHBOARDS = fileURLToPath(new URL('../dashboards/', import.meta.url));
const CONTRACT = fileURLToPath(new URL('../../../docs/telemetry-contract.md', import.meta.url));

// @opentelemetry/instrumentation-runtime-node's metrics as the register's Prometheus exporter
// names them (unit suffixes: s → seconds, By → bytes, 1 on a gauge → ratio).
const RUNTIME = ['nodejs_eventloop_delay_p99_seconds', 'nodejs_eventloop_utilization_ratio', 'v8js_memory_heap_used_bytes', 'v8js_gc_duration_seconds'];

/**
 * The Prometheus names of the contract's metrics: dots become underscores, a unit in seconds
 * adds `_seconds`, a counter `_total`, a histogram its `_bucket`, `_sum` and `_count` series.
 */
function contractMetrics(): Array<[name: string, instrument: string, unit: string]> {
  const rows = readFileSync(CONTRACT, 'utf8').matchAll(/^\| `([a-z_.]+)` \| (histogram|counter|up-down counter|observable up-down counter|observable gauge) \| `([^`]+)` \|/gm);
  return [...rows].map(([, name, instrument, unit]) => [name!, instrument!, unit!]);
}

function contractMetricNames(): string[] {
  return contractMetrics().flatMap(([name, instrument, unit]) => {
    const base = `${name.replaceAll('.', '_')}${unit === 's' ? '_seconds' : ''}`;
    if (instrument === 'histogram') return [`${base}_bucket`, `${base}_sum`, `${base}_count`];
    return [instrument === 'counter' ? `${base}_total` : base];
  });
}

function histogramSeries(base: string): string[] {
  return [`${base}_bucket`, `${base}_sum`, `${base}_count`];
}

/** Everything a panel may select, for the rules generated with `overrides`. */
function knownMetrics(overrides: Partial<RuleParameters>): Set<string> {
  const records = dyntelRules(overrides).groups.flatMap((group) => group.rules.flatMap((rule) => ('record' in rule ? [rule.record] : [])));
  const runtime = RUNTIME.flatMap((name) => (name === 'v8js_gc_duration_seconds' ? histogramSeries(name) : [name]));
  return new Set([...contractMetricNames(), ...records, ...runtime, 'ALERTS']);
}

const shipped = dyntelDashboards();

describe('the shipped dashboards', () => {
  it('are the ones the package generates with the default thresholds (npm run dashboards -w @dyntel/monitoring writes them)', () => {
    expect(readdirSync(DASHBOARDS).sort()).toEqual(Object.keys(shipped).sort());
    for (const [file, dashboard] of Object.entries(shipped)) expect(readFileSync(`${DASHBOARDS}${file}`, 'utf8'), file).toBe(dashboardJson(dashboard));
  });

  it('are an overview and one per family, each with its own uid', () => {
    expect(Object.values(shipped).map((d) => d.uid)).toEqual(['dyntel-overview', 'dyntel-circuit-breakers', 'dyntel-retries', 'dyntel-pools', 'dyntel-agents']);
  });

  it.each(Object.values(shipped).map((d) => [d.title, d] as const))('%s: every panel and variable queries the ${datasource} variable, and job is a variable', (_title, dashboard) => {
    const [first, ...rest] = dashboard.templating.list;
    expect(first).toMatchObject({ type: 'datasource', name: 'datasource', query: 'prometheus' });
    expect(rest.find((variable) => variable.name === 'job')).toMatchObject({ type: 'query', includeAll: true, multi: true });
    for (const variable of rest) expect(variable).toMatchObject({ datasource: { type: 'prometheus', uid: '${datasource}' } });
    const panels = dashboard.panels.filter((panel) => panel.type !== 'row');
    expect(panels.length).toBeGreaterThan(0);
    for (const panel of panels) {
      expect(panel.datasource, panel.title).toEqual({ type: 'prometheus', uid: '${datasource}' });
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets!) expect(target.datasource, panel.title).toEqual({ type: 'prometheus', uid: '${datasource}' });
      expect(panel.description, panel.title).toBeTruthy();
    }
  });

  it.each(Object.values(shipped).map((d) => [d.title, d] as const))('%s: panels lie within the 24 columns and do not overlap', (_title, dashboard) => {
    const cells = new Set<string>();
    for (const { gridPos, title } of dashboard.panels) {
      expect(gridPos.x + gridPos.w, title).toBeLessThanOrEqual(24);
      for (let x = gridPos.x; x < gridPos.x + gridPos.w; x++)
        for (let y = gridPos.y; y < gridPos.y + gridPos.h; y++) {
          expect(cells.has(`${x},${y}`), `${title} overlaps at ${x},${y}`).toBe(false);
          cells.add(`${x},${y}`);
        }
    }
  });
});

describe('the dashboards query only what the pack emits', () => {
  // The shipped ones, and the ones for rules generated with another window: the recording rules'
  // names carry the window, and a panel must follow it.
  it.each([[{}], [{ rateWindow: '1m' }]] as const)('for the rules generated with %o: every query parses and selects a pack metric, a recording rule, a runtime metric or ALERTS', (overrides: Partial<RuleParameters>) => {
    const dashboards: Dashboard[] = Object.values(dyntelDashboards(overrides));
    const known = knownMetrics(overrides);
    const queries = [...panelQueries(dashboards), ...variableQueries(dashboards).map((v) => ({ where: v.where, expr: v.selector }))];
    const problems = queries.flatMap(({ where, expr }) => {
      const selected = selectedMetrics(expr);
      return [
        ...(selected.parses ? [] : [`${where}: does not parse: ${expr}`]),
        ...(selected.names.length + selected.nameRegexes.length > 0 ? [] : [`${where}: selects no metric`]),
        ...selected.names.filter((name) => !known.has(name)).map((name) => `${where}: ${name} is not a metric of the pack`),
        ...selected.nameRegexes.filter((regex) => ![...known].some((name) => new RegExp(`^(?:${regex})$`).test(name))).map((regex) => `${where}: __name__=~"${regex}" matches no metric of the pack`),
      ];
    });
    expect(problems).toEqual([]);
    expect(queries.length).toBeGreaterThan(100);
  });

  it('the check catches a metric the pack does not emit and a query that does not parse', () => {
    expect(selectedMetrics('sum(rate(resilience_circuit_breaker_calls_total{job=~".*"}[15s]))')).toEqual({ names: ['resilience_circuit_breaker_calls_total'], nameRegexes: [], parses: true });
    expect(selectedMetrics('sum(rate(x[15s])').parses).toBe(false);
    expect(knownMetrics({}).has('resilience_circuit_breaker_calls_total')).toBe(false);
    expect(knownMetrics({}).has('resilience_circuit_breaker_call_duration_seconds_bucket')).toBe(true);
  });

  it('reads every metric of the contract, as @dyntel/semconv names them', () => {
    const exported = Object.entries(semconv).filter(([key]) => key.startsWith('METRIC_')).map(([, name]) => String(name));
    expect(contractMetrics().map(([name]) => name).sort()).toEqual(exported.sort());
    const names = contractMetricNames();
    expect(names).toContain('resilience_retry_retries_total');
    expect(names).toContain('db_client_connection_count');
    expect(names).toContain('actor_mailbox_depth');
    expect(names).toContain('gen_ai_client_token_usage_bucket');
  });
});

describe('dyntel-dashboards', () => {
  const CLI = fileURLToPath(new URL('../dist/dashboards-cli.js', import.meta.url));

  it('writes the dashboards for the parameters given into the directory given', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dyntel-dashboards-'));
    try {
      const run = spawnSync(process.execPath, [CLI, join(dir, 'grafana'), '--rateWindow=1m'], { encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      const expected = dyntelDashboards({ rateWindow: '1m' });
      expect(readdirSync(join(dir, 'grafana')).sort()).toEqual(Object.keys(expected).sort());
      for (const [file, dashboard] of Object.entries(expected)) expect(readFileSync(join(dir, 'grafana', file), 'utf8')).toBe(dashboardJson(dashboard));
      expect(readFileSync(join(dir, 'grafana', 'dyntel-overview.json'), 'utf8')).toContain('dyntel:retry_exhausted:ratio_rate1m');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a missing directory or a bad value with the reason and the usage, exit code 2', () => {
    const missing = spawnSync(process.execPath, [CLI, '--rateWindow=1m'], { encoding: 'utf8' });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('dyntel-dashboards: the directory to write the dashboards into comes first');
    const bad = spawnSync(process.execPath, [CLI, tmpdir(), '--rateWindow=soon'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('dyntel-dashboards: rule parameter rateWindow: expected a Prometheus duration such as 30s or 5m, got "soon"');
    expect(bad.stderr).toContain('usage: dyntel-dashboards <directory> [--name=value ...]');
  });
});
