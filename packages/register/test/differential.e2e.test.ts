import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { PACKAGE_NAME as CIRCUIT_BREAKER_SCOPE } from '@dyntel/instrumentation-circuit-breaker';
import { PACKAGE_NAME as RETRY_SCOPE } from '@dyntel/instrumentation-retry';
import { freePort, type Receiver, stopAllChildren } from '@dyntel/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DYNTEL_SHUTDOWN_TIMEOUT } from '../src/env-variables';
import { differences, observe, type Run } from './differential-compare';
import { ensureBuilt } from './support/build';
import { otlpReceiver, spansOf, type OtlpBody } from './support/otlp';

// The same scenarios run under bare node, --require and --import @dyntel/register, each printing
// one record of everything the application can observe; the records, the exit code, Node's crash
// report and the exit time must match bare node's. See fixtures/differential/.

const DIR = fileURLToPath(new URL('./fixtures/differential/', import.meta.url));
const SCENARIOS = ['resolve', 'reject', 'thenable', 'this', 'identity', 'order', 'transitions', 'cockatiel', 'retry-async-retry', 'retry-promise-retry', 'retry-exponential-backoff', 'retry-cockatiel', 'retry-p-retry', 'exit-code', 'before-exit', 'unhandled', 'uncaught'] as const;
/** Scenarios that crash: no flush can happen, so no telemetry is expected from them. */
const CRASHES = new Set<string>(['unhandled', 'uncaught']);
const ENTRIES = ['run.cjs', 'run.mjs'] as const;
const FLAGS = ['--require', '--import'] as const;
type Flag = (typeof FLAGS)[number];
type Mode = 'bare' | Flag;
/** How much later than bare node a process may end: the default bound of the final flush, and room for a loaded machine. */
const EXIT_SLACK_MS = DYNTEL_SHUTDOWN_TIMEOUT.fallback + 1_500;

// Every child is CPU-bound while it starts; more at once than the machine has cores only slows each.
const slots = Math.max(2, availableParallelism());
let busy = 0;
const queue: Array<() => void> = [];
async function limited<T>(task: () => Promise<T>): Promise<T> {
  if (busy >= slots) await new Promise<void>((resolve) => queue.push(resolve));
  busy++;
  try {
    return await task();
  } finally {
    busy--;
    queue.shift()?.();
  }
}

/** A receiver that accepts every connection and never answers: a collector that hangs. */
async function hungReceiver(): Promise<Server> {
  const server = createServer(() => {});
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

let receiver: Receiver<OtlpBody>;
let hung: Server;
let deadUrl: string;
const runs = new Map<string, Promise<Run>>();

function serviceName(scenario: string, entry: string, mode: string, receiverKind: string): string {
  return `differential ${scenario} ${entry} ${mode} ${receiverKind}`;
}

function start(scenario: string, entry: string, mode: Mode, receiverKind: 'healthy' | 'dead' | 'hung'): Promise<Run> {
  const key = serviceName(scenario, entry, mode, receiverKind);
  let run = runs.get(key);
  if (!run) {
    const endpoint = { healthy: receiver.url, dead: deadUrl, hung: `http://127.0.0.1:${(hung.address() as { port: number }).port}` }[receiverKind];
    const options = {
      script: entry,
      args: [scenario],
      cwd: DIR,
      nodeArgs: mode === 'bare' ? [] : [mode, '@dyntel/register'],
      // Every signal to the receiver, at the SDK's default delays: what the exit flush sends.
      // No auto-instrumentations: the scenarios use none of their libraries, and loading them slows every start.
      env: { OTEL_SERVICE_NAME: key, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, DYNTEL_AUTO_INSTRUMENTATIONS: 'false' },
    };
    // The fault runs spend their time waiting, not computing: they do not take a slot.
    run = receiverKind === 'healthy' ? limited(() => observe(options)) : observe(options);
    runs.set(key, run);
  }
  return run;
}

/** The variants a scenario is compared in: each entry under each flag (CommonJS loaded by --require is the one that cannot patch `import`). */
const VARIANTS = ENTRIES.flatMap((entry) => FLAGS.map((flag) => ({ entry, flag, instrumented: !(entry === 'run.mjs' && flag === '--require') })));
const FAULT_VARIANTS = [
  { entry: 'run.cjs', flag: '--require' },
  { entry: 'run.cjs', flag: '--import' },
  { entry: 'run.mjs', flag: '--import' },
] as const;


/** The spans of the instrumentation a scenario exercises (`retry.call` spans for the retry-* ones) that reached the receiver. */
function instrumentationSpans(scenario: string, name: string): number {
  const retry = scenario.startsWith('retry-');
  return receiver.received
    .flatMap((r) => (r.path === '/v1/traces' ? spansOf(r.body) : []))
    .filter((s) => s.serviceName === name && (retry ? s.scope === RETRY_SCOPE && s.name.startsWith('retry.call') : s.scope === CIRCUIT_BREAKER_SCOPE)).length;
}

/** What differs between a bare run and a run with the flag, each line naming the variant. */
function compare(label: string, bare: Run, flagged: Run): string[] {
  const found = differences(bare.observed, flagged.observed).map((line) => `${label}: ${line}`);
  if (flagged.exitMillis > bare.exitMillis + EXIT_SLACK_MS) {
    found.push(`${label}: ended ${Math.round(flagged.exitMillis)} ms after its record, bare node ${Math.round(bare.exitMillis)} ms (bound: bare + ${EXIT_SLACK_MS} ms)`);
  }
  return found;
}

beforeAll(async () => {
  ensureBuilt();
  receiver = await otlpReceiver();
  hung = await hungReceiver();
  deadUrl = `http://127.0.0.1:${await freePort()}`;
  // The slow fault runs first, then every scenario: the tests below await what is already running.
  for (const kind of ['dead', 'hung'] as const) for (const { entry, flag } of FAULT_VARIANTS) void start('exit-code', entry, flag, kind).catch(() => {});
  for (const scenario of SCENARIOS) {
    for (const entry of ENTRIES) for (const mode of ['bare', ...FLAGS] as const) void start(scenario, entry, mode, 'healthy').catch(() => {});
  }
});

afterAll(async () => {
  await stopAllChildren();
  hung?.closeAllConnections();
  hung?.close();
  await receiver?.close();
});

describe('the application observes the same with and without @dyntel/register', () => {
  it.each(SCENARIOS)('%s', async (scenario) => {
    const found: string[] = [];
    for (const { entry, flag, instrumented } of VARIANTS) {
      const [bare, flagged] = await Promise.all([start(scenario, entry, 'bare', 'healthy'), start(scenario, entry, flag, 'healthy')]);
      found.push(...compare(`${entry} ${flag}`, bare, flagged));
      // A comparison proves something only if the instrumentation ran and its telemetry left the process.
      if (instrumented && !CRASHES.has(scenario) && instrumentationSpans(scenario, serviceName(scenario, entry, flag, 'healthy')) === 0) {
        found.push(`${entry} ${flag}: no ${scenario.startsWith('retry-') ? 'retry.call' : 'circuit-breaker'} span reached the receiver, so the instrumentation was not exercised (our stderr: ${JSON.stringify(flagged.ours)})`);
      }
    }
    expect(found).toEqual([]);
  }, 120_000);
});

describe.each(['dead', 'hung'] as const)('with a %s receiver', (kind) => {
  it.each(FAULT_VARIANTS)('$entry under $flag ends with its own exit code, within the bound of bare node', async ({ entry, flag }) => {
    const [bare, flagged] = await Promise.all([start('exit-code', entry, 'bare', 'healthy'), start('exit-code', entry, flag, kind)]);
    expect(bare.observed.code).toBe(3);
    expect(compare(`${entry} ${flag}`, bare, flagged)).toEqual([]);
  }, 120_000);
});
