import { DiagLogLevel } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { readDyntelConfig } from './config';
import { createStderrDiagnostics } from './diagnostics';
import { DROP_LINE_INTERVAL_MILLIS, DroppedTelemetry, DropReport, type DropClock } from './dropped-telemetry';

/** A clock that moves only when told, running what is due as it passes. */
class TestClock implements DropClock {
  private time = 0;
  private readonly due: Array<{ at: number; run: () => void }> = [];

  now(): number {
    return this.time;
  }

  later(run: () => void, millis: number): void {
    this.due.push({ at: this.time + millis, run });
  }

  advance(millis: number): void {
    const until = this.time + millis;
    for (;;) {
      const next = this.due.filter((d) => d.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.due.splice(this.due.indexOf(next), 1);
      this.time = next.at;
      next.run();
    }
    this.time = until;
  }
}

const SPANS = { one: 'span', many: 'spans', variable: 'OTEL_BSP_MAX_QUEUE_SIZE', queueSize: 2048, metric: 'otel.sdk.processor.span.processed' };

describe('DropReport', () => {
  it('says a burst once, then at most once a minute with the count since the last line, then what is left at shutdown', () => {
    const clock = new TestClock();
    const lines: string[] = [];
    const report = new DropReport(SPANS, (line) => lines.push(line), clock);

    // One burst, in one turn of the loop: one line with all of it.
    for (let i = 0; i < 952; i += 1) report.dropped(1);
    expect(lines).toEqual([]);
    clock.advance(0);
    expect(lines).toEqual([
      '952 spans dropped: the queue of spans waiting for export was full (OTEL_BSP_MAX_QUEUE_SIZE=2048), so they were made faster than the receiver took them. Counted in the metric otel.sdk.processor.span.processed with error.type=queue_full; said again at most once a minute.',
    ]);

    // More drops within the minute: nothing until the minute is over, then one line.
    clock.advance(1_000);
    report.dropped(1);
    clock.advance(30_000);
    report.dropped(2);
    clock.advance(DROP_LINE_INTERVAL_MILLIS - 31_001);
    expect(lines).toHaveLength(1);
    clock.advance(1);
    expect(lines.slice(1)).toEqual(['3 more spans dropped since the last line: the queue of spans waiting for export was full (OTEL_BSP_MAX_QUEUE_SIZE=2048); 955 in all.']);

    // A quiet hour says nothing; then a drop long after the last line is said at once.
    clock.advance(3_600_000);
    expect(lines).toHaveLength(2);
    report.dropped(1);
    clock.advance(0);
    expect(lines.slice(2)).toEqual(['1 more span dropped since the last line: the queue of spans waiting for export was full (OTEL_BSP_MAX_QUEUE_SIZE=2048); 956 in all.']);

    // At shutdown, what no line said yet is said without waiting for the minute; nothing twice.
    report.dropped(4);
    report.sayUnsaid();
    expect(lines.slice(3)).toEqual(['4 more spans dropped since the last line: the queue of spans waiting for export was full (OTEL_BSP_MAX_QUEUE_SIZE=2048); 960 in all.']);
    clock.advance(DROP_LINE_INTERVAL_MILLIS);
    report.sayUnsaid();
    expect(lines).toHaveLength(4);
  });

  it('says nothing when nothing was dropped', () => {
    const lines: string[] = [];
    new DropReport(SPANS, (line) => lines.push(line), new TestClock()).sayUnsaid();
    expect(lines).toEqual([]);
  });
});

describe('DroppedTelemetry', () => {
  it("counts the processors' queue_full drops per signal, naming each signal's queue variable, and nothing else", () => {
    const clock = new TestClock();
    const lines: string[] = [];
    const { config } = readDyntelConfig({ OTEL_BSP_MAX_QUEUE_SIZE: '100', OTEL_BLRP_MAX_QUEUE_SIZE: '200' });
    const dropped = new DroppedTelemetry(config, createStderrDiagnostics(DiagLogLevel.INFO, (line) => lines.push(line)), clock);
    const meter = dropped.meterProvider.getMeter('@opentelemetry/sdk-trace');
    const spans = meter.createCounter('otel.sdk.processor.span.processed');
    const logs = meter.createCounter('otel.sdk.processor.log.processed');
    spans.add(512, { 'otel.component.type': 'batching_span_processor' });
    spans.add(3, { 'error.type': 'TimeoutError' });
    spans.add(1, { 'error.type': 'queue_full' });
    spans.add(1, { 'error.type': 'queue_full' });
    logs.add(1, { 'error.type': 'queue_full' });
    meter.createCounter('other').add(1, { 'error.type': 'queue_full' });
    dropped.sayUnsaid();
    expect(lines).toEqual([
      expect.stringMatching(/^@dyntel\/register: 2 spans dropped: the queue of spans waiting for export was full \(OTEL_BSP_MAX_QUEUE_SIZE=100\), .* otel\.sdk\.processor\.span\.processed with error\.type=queue_full; .*\n$/),
      expect.stringMatching(/^@dyntel\/register: 1 log record dropped: the queue of log records waiting for export was full \(OTEL_BLRP_MAX_QUEUE_SIZE=200\), .* otel\.sdk\.processor\.log\.processed with error\.type=queue_full; .*\n$/),
    ]);
  });
});
