// What the end-to-end tests of the rules and dashboards run: the demo under the register entry
// (its downstream goes down and recovers), optionally the agents example's workloads under it
// too, and a real Prometheus (Debian's, fetched by `npm test`) that scrapes them and evaluates
// the rules generated with the test's parameters. Everything listens on 127.0.0.1.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, inheritedEnv, LineLog, prometheusAvailable, startPrometheus, type PrometheusServer } from '@dyntel/test-support';
import { dyntelRulesYaml, type RuleParameters } from '../src/index';

const DEMO = fileURLToPath(new URL('../../../examples/demo/src/launch.mjs', import.meta.url));
const AGENTS = fileURLToPath(new URL('./fixtures/agents-workload.mjs', import.meta.url));

/**
 * The rules with windows a test can wait for: a 10 s rate window, alerts that fire after 1 s
 * (Prometheus evaluates every second).
 */
export const SHORT_WINDOWS: Readonly<Partial<RuleParameters>> = Object.freeze({ rateWindow: '10s', breakerOpenFor: '1s', alertFor: '1s', poolPendingFor: '1s' });

/** The running stack. */
export interface MonitoringStack {
  prometheus: PrometheusServer;
  /** The demo's standard output, line by line. */
  demoLog: LineLog;
  /** Stops the applications, then Prometheus, and removes the temporary files. */
  stop(): Promise<void>;
}

/** What to run besides the demo and Prometheus. */
export interface StackOptions {
  /** Also run the agents example's workloads in a loop (test/fixtures/agents-workload.mjs), as job `agents`. */
  agents?: boolean;
  /** The Alertmanager Prometheus sends its alerts to, `host:port`. */
  alertmanager?: string;
}

/** Starts the demo (job `demo`), the agents workload when asked, and Prometheus with the rules for `SHORT_WINDOWS`. */
export async function startMonitoringStack(options: StackOptions = {}): Promise<MonitoringStack> {
  const available = prometheusAvailable();
  if (!available.ok) throw new Error(available.reason);
  const dir = mkdtempSync(join(tmpdir(), 'dyntel-monitoring-'));
  const children: ChildProcess[] = [];
  let prometheus: PrometheusServer | undefined;
  const stop = async () => {
    await Promise.all(children.map(interrupt));
    await prometheus?.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const rules = join(dir, 'dyntel.rules.yaml');
    writeFileSync(rules, dyntelRulesYaml(SHORT_WINDOWS));
    const demoPort = await freePort();
    // The fault script twice as fast: healthy, outage, recovered, 4 s each, repeating.
    const demo = application([DEMO], { ...inheritedEnv(/^DEMO_/), DEMO_SPEED: '2', OTEL_EXPORTER_PROMETHEUS_PORT: String(demoPort) });
    children.push(demo);
    const demoLog = new LineLog(demo.stdout!);
    const jobs = [{ name: 'demo', target: `127.0.0.1:${demoPort}` }];
    const ready = [demoLog.waitFor(/^checkout service on /)];
    if (options.agents) {
      const agentsPort = await freePort();
      // Without vitest's NODE_ENV=test, under which the Agents SDK traces nothing.
      const agents = application(['--import', '@dyntel/register', AGENTS], {
        ...inheritedEnv(/^NODE_ENV$/),
        OTEL_SERVICE_NAME: 'dyntel-agents-workload',
        OTEL_METRICS_EXPORTER: 'prometheus',
        OTEL_TRACES_EXPORTER: 'none',
        OTEL_LOGS_EXPORTER: 'none',
        OTEL_EXPORTER_PROMETHEUS_PORT: String(agentsPort),
      });
      children.push(agents);
      ready.push(new LineLog(agents.stdout!).waitFor(/^agents workload running$/));
      jobs.push({ name: 'agents', target: `127.0.0.1:${agentsPort}` });
    }
    await Promise.all(ready);
    prometheus = await startPrometheus({ jobs, ruleFiles: [rules], evaluationIntervalMillis: 1000, alertmanager: options.alertmanager });
    return { prometheus, demoLog, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

// In a process group of its own: the demo's launcher passes Ctrl-C on to its child by the group.
function application(args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  // Read, so that a full pipe never blocks the child.
  child.stderr!.resume();
  return child;
}

async function interrupt(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const closed = once(child, 'close');
  process.kill(-child.pid, 'SIGINT');
  await closed;
}
