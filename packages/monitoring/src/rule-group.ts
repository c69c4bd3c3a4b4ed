/** A Prometheus recording rule. */
export interface RecordingRule {
  record: string;
  expr: string;
}

/** A Prometheus alerting rule, with the annotations every dyntel alert carries. */
export interface AlertingRule {
  alert: string;
  expr: string;
  for?: string;
  labels: { severity: 'critical' | 'warning' | 'info' };
  annotations: { summary: string; description: string; runbook_url: string };
}

/** A Prometheus rule group, as `rule_files` load it. */
export interface RuleGroup {
  name: string;
  rules: (RecordingRule | AlertingRule)[];
}

/** The rule file: every group. */
export interface RuleFile {
  groups: RuleGroup[];
}

/** The runbook URL of `alert` under `base`: the README section named after the alert. */
export function runbook(base: string, alert: string): string {
  return `${base}${alert.toLowerCase()}`;
}
