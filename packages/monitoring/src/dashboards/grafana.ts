// The part of Grafana's dashboard JSON model the dyntel dashboards use, and builders that lay
// panels out on Grafana's 24-column grid. Plain objects: the JSON is what ships, and Grafana
// fills in every default it leaves out on import.

/** Grafana's reference to a data source: here always the dashboard's `datasource` variable. */
export interface DataSourceRef {
  type: 'prometheus';
  uid: string;
}

/** Every panel and variable queries the Prometheus the user picks in the `datasource` variable. */
export const DATASOURCE: DataSourceRef = Object.freeze({ type: 'prometheus', uid: '${datasource}' });

/** A Prometheus query of a panel. */
export interface Target {
  refId: string;
  datasource: DataSourceRef;
  expr: string;
  legendFormat: string;
  range: boolean;
  instant: boolean;
  format: 'time_series' | 'table';
}

/** A panel: a timeseries, a stat, a table, or a row heading. */
export interface Panel {
  id: number;
  type: 'timeseries' | 'stat' | 'table' | 'row';
  title: string;
  description?: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: DataSourceRef;
  targets?: Target[];
  fieldConfig?: { defaults: Record<string, unknown>; overrides: unknown[] };
  options?: Record<string, unknown>;
  transformations?: Array<{ id: string; options: Record<string, unknown> }>;
  collapsed?: boolean;
  panels?: Panel[];
}

/** A template variable: the data source, or label values from a query. */
export type Variable =
  | { type: 'datasource'; name: string; label: string; query: 'prometheus'; current: Record<string, never>; hide: 0; refresh: 1; regex: ''; options: [] }
  | {
      type: 'query';
      name: string;
      label: string;
      datasource: DataSourceRef;
      query: string;
      definition: string;
      refresh: 2;
      includeAll: true;
      multi: true;
      allValue: '.*';
      current: Record<string, never>;
      sort: 1;
      hide: 0;
      regex: '';
      options: [];
    };

/** A dashboard as Grafana imports it. */
export interface Dashboard {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  editable: true;
  graphTooltip: 1;
  schemaVersion: 39;
  version: 1;
  time: { from: string; to: string };
  refresh: string;
  timezone: '';
  links: unknown[];
  annotations: { list: unknown[] };
  templating: { list: Variable[] };
  panels: Panel[];
}

/** The tag of every dyntel dashboard; each links to the others through it. */
export const TAG = 'dyntel';

/** The `datasource` variable: the Prometheus that every panel queries. */
export function datasourceVariable(): Variable {
  return { type: 'datasource', name: 'datasource', label: 'Data source', query: 'prometheus', current: {}, hide: 0, refresh: 1, regex: '', options: [] };
}

/**
 * A multi-value variable with an "All" option (matching everything, series without the label
 * included) from `label_values(selector, label)`: Grafana refreshes it when the time range changes.
 */
export function labelVariable(name: string, label: string, selector: string, labelName: string): Variable {
  const query = `label_values(${selector}, ${labelName})`;
  return {
    type: 'query',
    name,
    label,
    datasource: DATASOURCE,
    query,
    definition: query,
    refresh: 2,
    includeAll: true,
    multi: true,
    allValue: '.*',
    current: {},
    sort: 1,
    hide: 0,
    regex: '',
    options: [],
  };
}

/** One query of a panel: its PromQL and, for a timeseries, the legend of each series. */
export interface Query {
  expr: string;
  legend?: string;
}

/** What a panel shows, before it is placed on the grid. */
export interface PanelSpec {
  type: 'timeseries' | 'stat' | 'table';
  title: string;
  description: string;
  queries: Query[];
  /** A Grafana unit: `s`, `percentunit`, `ops` (per second), `bytes`, `short`. */
  unit: string;
  /** Columns of the 24-column grid. */
  width: number;
  height: number;
  min?: number;
  max?: number;
  /** Table columns to hide (the time, labels that repeat the title). */
  hide?: string[];
  /** A stat turns red from this value on (a count of things that are wrong). */
  redFrom?: number;
}

/** A row heading and the panels under it. */
export interface Section {
  title: string;
  panels: PanelSpec[];
}

type Shown = Omit<PanelSpec, 'type' | 'width' | 'height'> & { width?: number; height?: number };

/** A graph over time. */
export function timeseries(spec: Shown): PanelSpec {
  return { type: 'timeseries', width: 12, height: 8, ...spec };
}

/** One number, the latest of its series (summed by the query to one series). */
export function stat(spec: Shown): PanelSpec {
  return { type: 'stat', width: 4, height: 4, ...spec };
}

/** The series of an instant query as the rows of a table, their labels as columns. */
export function table(spec: Shown): PanelSpec {
  return { type: 'table', width: 12, height: 8, ...spec };
}

/** The dashboard, its panels laid out row by row: a panel that does not fit starts a new line. */
export function dashboard(options: { uid: string; title: string; description: string; variables: Variable[]; sections: Section[] }): Dashboard {
  const panels: Panel[] = [];
  let y = 0;
  for (const section of options.sections) {
    panels.push({ id: panels.length + 1, type: 'row', title: section.title, collapsed: false, gridPos: { x: 0, y, w: 24, h: 1 }, panels: [] });
    y += 1;
    let x = 0;
    let lineHeight = 0;
    for (const spec of section.panels) {
      if (x + spec.width > 24) {
        y += lineHeight;
        x = 0;
        lineHeight = 0;
      }
      panels.push(panel(panels.length + 1, spec, { x, y, w: spec.width, h: spec.height }));
      x += spec.width;
      lineHeight = Math.max(lineHeight, spec.height);
    }
    y += lineHeight;
  }
  return {
    uid: options.uid,
    title: options.title,
    description: options.description,
    tags: [TAG],
    editable: true,
    graphTooltip: 1,
    schemaVersion: 39,
    version: 1,
    time: { from: 'now-1h', to: 'now' },
    refresh: '30s',
    timezone: '',
    links: [{ type: 'dashboards', title: 'dyntel', icon: 'external link', tooltip: 'The other dyntel dashboards', tags: [TAG], asDropdown: true, includeVars: true, keepTime: true, targetBlank: false }],
    annotations: { list: [] },
    templating: { list: [datasourceVariable(), ...options.variables] },
    panels,
  };
}

function panel(id: number, spec: PanelSpec, gridPos: Panel['gridPos']): Panel {
  const instant = spec.type === 'table';
  const targets = spec.queries.map(
    (query, i): Target => ({
      refId: String.fromCharCode(65 + i),
      datasource: DATASOURCE,
      expr: query.expr,
      legendFormat: query.legend ?? '__auto',
      range: !instant,
      instant,
      format: instant ? 'table' : 'time_series',
    }),
  );
  const defaults: Record<string, unknown> = { unit: spec.unit };
  if (spec.min !== undefined) defaults.min = spec.min;
  if (spec.max !== undefined) defaults.max = spec.max;
  const base = { id, type: spec.type, title: spec.title, description: spec.description, gridPos, datasource: DATASOURCE, targets };
  switch (spec.type) {
    case 'timeseries':
      return {
        ...base,
        fieldConfig: { defaults: { ...defaults, custom: { drawStyle: 'line', lineWidth: 1, fillOpacity: 10, showPoints: 'never', spanNulls: false } }, overrides: [] },
        options: { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'desc' } },
      };
    case 'stat':
      return {
        ...base,
        fieldConfig: { defaults: { ...defaults, color: { mode: 'thresholds' }, thresholds: { mode: 'absolute', steps: thresholdSteps(spec.redFrom) } }, overrides: [] },
        options: { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'value', graphMode: 'area', justifyMode: 'auto', textMode: 'auto' },
      };
    case 'table':
      return {
        ...base,
        fieldConfig: { defaults, overrides: [] },
        options: { showHeader: true, cellHeight: 'sm' },
        transformations: tableTransformations(spec),
      };
  }
}

function thresholdSteps(redFrom: number | undefined): Array<{ color: string; value: number | null }> {
  const steps: Array<{ color: string; value: number | null }> = [{ color: 'green', value: null }];
  if (redFrom !== undefined) steps.push({ color: 'red', value: redFrom });
  return steps;
}

// One row per series, its labels as columns; several queries are merged on their labels, each
// value column named after its query's legend.
function tableTransformations(spec: PanelSpec): Array<{ id: string; options: Record<string, unknown> }> {
  const excludeByName = Object.fromEntries(['Time', ...(spec.hide ?? [])].map((column) => [column, true]));
  if (spec.queries.length === 1) return [{ id: 'organize', options: { excludeByName } }];
  const renameByName = Object.fromEntries(spec.queries.map((query, i) => [`Value #${String.fromCharCode(65 + i)}`, query.legend ?? String.fromCharCode(65 + i)]));
  return [
    { id: 'merge', options: {} },
    { id: 'organize', options: { excludeByName, renameByName } },
  ];
}
