export { DEFAULT_PARAMETERS, ruleParameters, type RuleParameters } from './parameters';
export { dyntelRules, dyntelRulesYaml } from './rules';
export type { AlertingRule, RecordingRule, RuleFile, RuleGroup } from './rule-group';
export { PACKAGE_NAME, PACKAGE_VERSION } from './version';
export { dashboardJson, dyntelDashboards } from './dashboards';
export type { Dashboard, Panel, Target, Variable } from './dashboards/grafana';
