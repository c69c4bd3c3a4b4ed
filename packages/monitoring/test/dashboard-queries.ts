// The queries of the shipped dashboards as Prometheus receives them from Grafana, for the
// static test (names, syntax) and the end-to-end test (live data): every panel target and every
// variable's label_values, with the template variables replaced by concrete values.
import { parser } from '@prometheus-io/lezer-promql';
import type { Dashboard } from '../src/index';

/**
 * What Grafana puts in for its own variables: a rate window of several scrapes, and a time range
 * longer than any test runs. A dashboard variable is its "All" value.
 */
export const GRAFANA_VALUES: Readonly<Record<string, string>> = Object.freeze({ __rate_interval: '15s', __interval: '5s', __range: '1h' });
const ALL = '.*';

/** One query of a panel, and where it is: dashboard / panel [refId]. */
export interface PanelQuery {
  where: string;
  expr: string;
}

/** One template variable's label_values query: its series selector and the label whose values it lists. */
export interface VariableQuery {
  where: string;
  selector: string;
  label: string;
}

/** `expr` with `$name` and `${name}` replaced: Grafana's variables by `GRAFANA_VALUES`, the dashboard's by "All". */
export function substitute(expr: string, dashboard: Dashboard): string {
  const own = new Set(dashboard.templating.list.map((variable) => variable.name));
  return expr.replace(/\$\{(\w+)\}|\$(\w+)/g, (match, braced: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare)!;
    if (name in GRAFANA_VALUES) return GRAFANA_VALUES[name]!;
    if (own.has(name)) return ALL;
    throw new Error(`${dashboard.title}: ${match} is neither a variable of the dashboard nor one of Grafana's`);
  });
}

/** Every panel target of `dashboards`, substituted. */
export function panelQueries(dashboards: Iterable<Dashboard>): PanelQuery[] {
  return [...dashboards].flatMap((dashboard) =>
    dashboard.panels.flatMap((panel) =>
      (panel.targets ?? []).map((target) => ({ where: `${dashboard.title} / ${panel.title} [${target.refId}]`, expr: substitute(target.expr, dashboard) })),
    ),
  );
}

/** Every query variable of `dashboards`, its selector substituted. */
export function variableQueries(dashboards: Iterable<Dashboard>): VariableQuery[] {
  return [...dashboards].flatMap((dashboard) =>
    dashboard.templating.list.flatMap((variable) => {
      if (variable.type !== 'query') return [];
      const match = /^label_values\((.+), (\w+)\)$/.exec(variable.query);
      if (match === null) throw new Error(`${dashboard.title}: variable ${variable.name} is not label_values(selector, label): ${variable.query}`);
      return [{ where: `${dashboard.title} / $${variable.name}`, selector: substitute(match[1]!, dashboard), label: match[2]! }];
    }),
  );
}

/** What a PromQL expression selects: metric names, `__name__` regular expressions, and whether it failed to parse. */
export function selectedMetrics(expr: string): { names: string[]; nameRegexes: string[]; parses: boolean } {
  const names: string[] = [];
  const nameRegexes: string[] = [];
  let parses = true;
  parser.parse(expr).iterate({
    enter(node) {
      if (node.type.isError) parses = false;
      if (node.name === 'Identifier' && node.node.parent?.name === 'VectorSelector') names.push(expr.slice(node.from, node.to));
      if (node.name === 'UnquotedLabelMatcher') {
        const matcher = /^__name__\s*(=~|=)\s*"(.*)"$/.exec(expr.slice(node.from, node.to));
        if (matcher !== null) (matcher[1] === '=' ? names : nameRegexes).push(matcher[2]!);
      }
    },
  });
  return { names, nameRegexes, parses };
}
