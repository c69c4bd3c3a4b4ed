import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, LineLog } from '@dyntel/test-support';
import { Receiver } from './receiver';
import { testBinary } from '../../../../scripts/ensure-test-servers.mjs';

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

/**
 * A pass-through in front of an application's metrics endpoint that records each request
 * Prometheus makes. Prometheus scrapes a target sequentially and commits a scrape's samples
 * before starting the next one, so the second request proves the first was ingested: the test
 * waits for it (`waitFor`) instead of polling the query API.
 */
export function scrapeProxy(target: string): Promise<Receiver<null>> {
  return new Receiver<null>(
    () => null,
    (req, res) => {
      const upstream = request(`${target}${req.url}`, { headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', (error) => res.writeHead(502).end(String(error)));
      upstream.end();
    },
  ).start();
}

/** A Prometheus server on 127.0.0.1 with a temporary configuration and data directory. */
export interface PrometheusServer {
  url: string;
  /** Runs an instant query through the HTTP API and returns `data.result`. */
  query(promql: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>>;
  stop(): Promise<void>;
}

/** Starts Prometheus scraping each job's target every 250 ms; resolves when it is ready. */
export async function startPrometheus(jobs: Array<{ name: string; target: string }>): Promise<PrometheusServer> {
  const dir = mkdtempSync(join(tmpdir(), 'dyntel-prometheus-'));
  const config = [
    'global:',
    '  scrape_interval: 250ms',
    '  scrape_timeout: 200ms',
    'scrape_configs:',
    ...jobs.flatMap((job) => [`  - job_name: ${job.name}`, '    static_configs:', `      - targets: ['${job.target}']`]),
  ].join('\n');
  writeFileSync(join(dir, 'prometheus.yml'), `${config}\n`);
  const port = await freePort();
  const child: ChildProcess = spawn(
    PROMETHEUS_BIN,
    [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
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
      const json = (await response.json()) as { status: string; data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
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
