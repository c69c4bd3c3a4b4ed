import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { LineLog } from './line-log';
import { freePort } from './ports';
import { testBinary } from '../../../scripts/ensure-test-servers.mjs';

/**
 * The Prometheus binary: `PROMETHEUS_BIN`, else Debian's `prometheus` as `npm test` fetches it
 * into the repository's cache (scripts/ensure-test-servers.mjs), else one on the PATH.
 */
export const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? testBinary('prometheus', 'prometheus');

/** Whether the binary runs at all, with the reason when it does not. */
export function prometheusAvailable(): { ok: true } | { ok: false; reason: string } {
  const probe = spawnSync(PROMETHEUS_BIN, ['--version'], { encoding: 'utf8' });
  if (probe.status === 0) return { ok: true };
  return { ok: false, reason: `${PROMETHEUS_BIN} --version failed (${probe.error?.message ?? probe.stderr}); run node scripts/ensure-test-servers.mjs (npm test does) or set PROMETHEUS_BIN` };
}

/** One sample of an instant query's result. */
export interface PrometheusSample {
  metric: Record<string, string>;
  value: [number, string];
}

/** A Prometheus server on 127.0.0.1 with a temporary configuration and data directory. */
export interface PrometheusServer {
  url: string;
  /** Runs an instant query through the HTTP API and returns `data.result`. */
  query(promql: string): Promise<PrometheusSample[]>;
  stop(): Promise<void>;
}

/** What Prometheus scrapes, evaluates and alerts to. */
export interface PrometheusOptions {
  /** Scrape targets, `host:port`, by job name; scraped every 250 ms. */
  jobs: Array<{ name: string; target: string }>;
  /** Rule files to load (copied into the server's directory); evaluated every `evaluationIntervalMillis`. */
  ruleFiles?: string[];
  evaluationIntervalMillis?: number;
  /** Alertmanager to send alerts to, `host:port`. */
  alertmanager?: string;
}

/** Starts Prometheus; resolves when it is ready to receive web requests. */
export async function startPrometheus(options: PrometheusOptions | Array<{ name: string; target: string }>): Promise<PrometheusServer> {
  const { jobs, ruleFiles = [], evaluationIntervalMillis = 1000, alertmanager } = Array.isArray(options) ? { jobs: options } : options;
  const dir = mkdtempSync(join(tmpdir(), 'dyntel-prometheus-'));
  const rules = ruleFiles.map((file, i) => {
    const copy = join(dir, `${i}-${basename(file)}`);
    copyFileSync(file, copy);
    return copy;
  });
  const config = [
    'global:',
    '  scrape_interval: 250ms',
    '  scrape_timeout: 200ms',
    `  evaluation_interval: ${evaluationIntervalMillis}ms`,
    ...(rules.length > 0 ? ['rule_files:', ...rules.map((file) => `  - '${file}'`)] : []),
    ...(alertmanager !== undefined ? ['alerting:', '  alertmanagers:', '    - static_configs:', `        - targets: ['${alertmanager}']`] : []),
    'scrape_configs:',
    ...jobs.flatMap((job) => [`  - job_name: ${job.name}`, '    static_configs:', `      - targets: ['${job.target}']`]),
  ].join('\n');
  writeFileSync(join(dir, 'prometheus.yml'), `${config}\n`);
  const port = await freePort();
  const child: ChildProcess = spawn(
    PROMETHEUS_BIN,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      // A firing alert is sent again this often (the default, 1m, is longer than a test).
      '--rules.alert.resend-delay=1s',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const log = new LineLog(child.stderr!);
  // 'close', not 'exit': the error below quotes stderr, which may still be arriving at 'exit'.
  const exited = once(child, 'close');
  await Promise.race([
    log.waitFor(/Server is ready to receive web requests/),
    exited.then(([code]) => {
      throw new Error(`prometheus exited (${code}) before it was ready:\n${log.lines.join('\n')}`);
    }),
  ]);
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    async query(promql) {
      const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
      const json = (await response.json()) as { status: string; data: { result: PrometheusSample[] } };
      if (json.status !== 'success') throw new Error(`query ${promql} failed: ${JSON.stringify(json)}`);
      return json.data.result;
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
