// The dashboards against live data: the demo (breakers, retries, pools) and the agents example's
// workloads (agents, actors) run under the register entry, which also exports the Node.js
// runtime's metrics; a real Prometheus scrapes both and evaluates the rules with short windows
// (test/monitoring-stack.ts). Every panel query of the dashboards generated for those rules, its
// template variables replaced as Grafana replaces them, must return a number, and every
// variable must list values: no dead panel, no empty drop-down.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dyntelDashboards, type Dashboard } from '../src/index';
import { panelQueries, variableQueries, type PanelQuery, type VariableQuery } from './dashboard-queries';
import { SHORT_WINDOWS, startMonitoringStack, type MonitoringStack } from './monitoring-stack';

// Long enough for the demo to go through its outage (the breaker opens, retries give up, the
// pool times out, alerts fire) and for rate windows to fill after it.
const DEADLINE_MILLIS = 60_000;

const dashboards: Dashboard[] = Object.values(dyntelDashboards(SHORT_WINDOWS));
let stack: MonitoringStack | undefined;

beforeAll(async () => {
  stack = await startMonitoringStack({ agents: true });
});

afterAll(async () => {
  await stack?.stop();
});

/**
 * The items `check` never accepted by the deadline. Data appears as the demo's script reaches
 * the phase that produces it: each round asks Prometheus again about the items still waiting,
 * until all are answered or the deadline passes.
 */
async function neverAccepted<T>(items: Map<string, T>, check: (item: T) => Promise<boolean>, deadline: number): Promise<Map<string, T>> {
  const pending = new Map(items);
  while (pending.size > 0 && Date.now() < deadline) {
    const answered = await Promise.all([...pending].map(async ([where, item]) => [where, await check(item)] as const));
    for (const [where, accepted] of answered) if (accepted) pending.delete(where);
  }
  return pending;
}

/** Whether `query` returns at least one sample that is a number (NaN is a ratio or quantile over nothing). */
async function returnsNumber(query: PanelQuery): Promise<boolean> {
  const samples = await stack!.prometheus.query(query.expr);
  return samples.some((sample) => !Number.isNaN(Number(sample.value[1])));
}

/** Whether the variable's label_values query lists at least one value. */
async function listsValues(variable: VariableQuery): Promise<boolean> {
  const response = await fetch(`${stack!.prometheus.url}/api/v1/label/${variable.label}/values?match[]=${encodeURIComponent(variable.selector)}`);
  const json = (await response.json()) as { status: string; data: string[] };
  if (json.status !== 'success') throw new Error(`${variable.where}: ${JSON.stringify(json).slice(0, 500)}`);
  return json.data.length > 0;
}

it('every panel query of every dashboard returns data from the live applications', async () => {
  const queries = new Map(panelQueries(dashboards).map((query) => [query.where, query]));
  expect(queries.size).toBeGreaterThan(0);
  const dead = await neverAccepted(queries, returnsNumber, Date.now() + DEADLINE_MILLIS);
  expect([...dead.values()].map((query) => `${query.where}: ${query.expr}`)).toEqual([]);
}, DEADLINE_MILLIS + 30_000);

it('every variable of every dashboard lists values', async () => {
  const variables = new Map(variableQueries(dashboards).map((variable) => [variable.where, variable]));
  const empty = await neverAccepted(variables, listsValues, Date.now() + DEADLINE_MILLIS);
  expect([...empty.values()].map((variable) => `${variable.where}: label_values(${variable.selector}, ${variable.label})`)).toEqual([]);
}, DEADLINE_MILLIS + 30_000);
