import type { RuleParameters } from '../parameters';
import { runbook, type RuleGroup } from '../rule-group';

// The SDK's own counts of spans and log records whose processing ended, by error.type.
const PROCESSED = '__name__=~"otel_sdk_processor_(span|log)_processed_total"';

/** The pack itself: faults inside instrumentation, telemetry dropped, exports failing. */
export function packHealthRules(p: RuleParameters): RuleGroup[] {
  const w = p.rateWindow;
  const processed = (errorType: string) => `sum by (job) (increase({${PROCESSED}, error_type${errorType}}[${w}]))`;
  return [
    {
      name: 'dyntel-pack-health-alerts',
      rules: [
        {
          alert: 'DyntelInstrumentationErrors',
          expr: `sum by (job) (increase(dyntel_instrumentation_errors_total[${w}])) > 0`,
          labels: { severity: 'info' },
          annotations: {
            summary: 'dyntel instrumentation reported faults in {{ $labels.job }}',
            description: `The dyntel instrumentation of {{ $labels.job }} caught {{ $value | printf "%.0f" }} faults of its own in ${w} (a throwing hook, a broken provider); the application was not affected, but some telemetry is missing.`,
            runbook_url: runbook(p.runbookBaseUrl, 'DyntelInstrumentationErrors'),
          },
        },
        {
          alert: 'DyntelTelemetryDropped',
          expr: `${processed('="queue_full"')} > 0`,
          labels: { severity: 'warning' },
          annotations: {
            summary: '{{ $labels.job }} drops telemetry',
            description: `{{ $labels.job }} dropped {{ $value | printf "%.0f" }} spans or log records in ${w} because its export queue was full.`,
            runbook_url: runbook(p.runbookBaseUrl, 'DyntelTelemetryDropped'),
          },
        },
        {
          alert: 'DyntelExportFailing',
          expr: `${processed('!~"|queue_full"')} > 0`,
          for: p.alertFor,
          labels: { severity: 'warning' },
          annotations: {
            summary: '{{ $labels.job }} fails to export telemetry',
            description: `Exports of {{ $value | printf "%.0f" }} spans or log records of {{ $labels.job }} failed in ${w}: the receiver is down or refuses them.`,
            runbook_url: runbook(p.runbookBaseUrl, 'DyntelExportFailing'),
          },
        },
      ],
    },
  ];
}
