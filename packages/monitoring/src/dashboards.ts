import { agentsDashboard } from './dashboards/agents';
import { circuitBreakersDashboard } from './dashboards/circuit-breakers';
import type { Dashboard } from './dashboards/grafana';
import { overviewDashboard } from './dashboards/overview';
import { poolsDashboard } from './dashboards/pools';
import { retriesDashboard } from './dashboards/retries';
import { ruleParameters, type RuleParameters } from './parameters';

/**
 * The Grafana dashboards, by file name, for the rules generated with `overrides`: their panels
 * query the recording rules by the names those rules get (`rateWindow` is part of them).
 */
export function dyntelDashboards(overrides: Partial<RuleParameters> = {}): Record<string, Dashboard> {
  const p = ruleParameters(overrides);
  return {
    'dyntel-overview.json': overviewDashboard(p),
    'dyntel-circuit-breakers.json': circuitBreakersDashboard(p),
    'dyntel-retries.json': retriesDashboard(p),
    'dyntel-pools.json': poolsDashboard(p),
    'dyntel-agents.json': agentsDashboard(p),
  };
}

/** A dashboard as the JSON file Grafana imports. */
export function dashboardJson(dashboard: Dashboard): string {
  return `${JSON.stringify(dashboard, null, 2)}\n`;
}
