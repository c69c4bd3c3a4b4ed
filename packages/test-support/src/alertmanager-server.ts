import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { LineLog } from './line-log';
import { freePort } from './ports';
import { testBinary } from '../../../scripts/ensure-test-servers.mjs';

/** The Alertmanager binary: `ALERTMANAGER_BIN`, else Debian's as `npm test` fetches it, else one on the PATH. */
export const ALERTMANAGER_BIN = process.env.ALERTMANAGER_BIN ?? testBinary('prometheus-alertmanager', 'prometheus-alertmanager');

/** Whether the binary runs at all, with the reason when it does not. */
export function alertmanagerAvailable(): { ok: true } | { ok: false; reason: string } {
  const probe = spawnSync(ALERTMANAGER_BIN, ['--version'], { encoding: 'utf8' });
  if (probe.status === 0) return { ok: true };
  return { ok: false, reason: `${ALERTMANAGER_BIN} --version failed (${probe.error?.message ?? probe.stderr}); run node scripts/ensure-test-servers.mjs (npm test does) or set ALERTMANAGER_BIN` };
}

/** An Alertmanager on 127.0.0.1, without clustering, routing every alert to one webhook. */
export interface AlertmanagerServer {
  /** `host:port`, for Prometheus's alerting configuration. */
  address: string;
  stop(): Promise<void>;
}

/**
 * Starts Alertmanager sending every alert, and its resolution, to `webhookUrl` at once (no
 * grouping wait, a one-second group interval); resolves when it listens.
 */
export async function startAlertmanager(webhookUrl: string): Promise<AlertmanagerServer> {
  const dir = mkdtempSync(join(tmpdir(), 'dyntel-alertmanager-'));
  const config = [
    'route:',
    '  receiver: webhook',
    "  group_by: ['alertname']",
    '  group_wait: 0s',
    '  group_interval: 1s',
    '  repeat_interval: 1h',
    'receivers:',
    '  - name: webhook',
    '    webhook_configs:',
    `      - url: '${webhookUrl}'`,
    '        send_resolved: true',
  ].join('\n');
  writeFileSync(join(dir, 'alertmanager.yml'), `${config}\n`);
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const args = [`--config.file=${join(dir, 'alertmanager.yml')}`, `--storage.path=${join(dir, 'data')}`, `--web.listen-address=${address}`, '--cluster.listen-address='];
  const [command, commandArgs] = withTemplates(ALERTMANAGER_BIN, args);
  const child: ChildProcess = spawn(command, commandArgs, { stdio: ['ignore', 'ignore', 'pipe'] });
  const log = new LineLog(child.stderr!);
  const exited = once(child, 'close');
  await Promise.race([
    log.waitFor(/Listening on|msg=Listening/),
    exited.then(([code]) => {
      const hint = command === 'unshare' ? `\n(${ALERTMANAGER_BIN} ran in a private mount namespace, \`unshare -r -m\`, to find its templates; if this machine forbids that, set ALERTMANAGER_BIN to an alertmanager that finds its own)` : '';
      throw new Error(`alertmanager exited (${code}) before it listened:\n${log.lines.join('\n')}${hint}`);
    }),
  ]);
  return {
    address,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Debian's build reads its notification templates from this directory, compiled in.
const DEBIAN_TEMPLATES = '/usr/share/prometheus/alertmanager';

/**
 * How to run `binary`: as it is, unless it is the Debian build fetched into the cache and the
 * system has no templates where it looks for them. Then it runs in a private mount namespace
 * (`unshare -r -m`, no root needed) where the fetched /usr/share lies over the system's, read
 * only: the system itself is not touched.
 */
function withTemplates(binary: string, args: string[]): [string, string[]] {
  if (existsSync(join(DEBIAN_TEMPLATES, 'default.tmpl'))) return [binary, args];
  const share = join(dirname(binary), '..', 'share');
  if (!existsSync(join(share, 'prometheus', 'alertmanager', 'default.tmpl'))) return [binary, args];
  const script = `mount -t overlay overlay -o lowerdir="$0":/usr/share /usr/share && exec "$@"`;
  return ['unshare', ['-r', '-m', 'sh', '-c', script, share, binary, ...args]];
}
