// This checkout's instrumentation against another checkout's, in one process: each variant
// patches its own copies of opossum and cockatiel (from its own node_modules), and the two
// are measured in alternating rounds, so that the machine's drift hits both alike. Prints,
// per configuration, each variant's time and allocation added over its bare library and the
// ratio of the times.
// Both checkouts must be installed and built:
//   npm run build && node --experimental-strip-types --no-warnings=ExperimentalWarning \
//     packages/instrumentation-circuit-breaker/bench/against-checkout.ts /path/to/other/checkout
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  SDK_CONFIGURATIONS,
  benchSdk,
  countAllocations,
  markdownTable,
  runIn,
  sampleStatistics,
  useAsyncLocalStorageContext,
  type SdkConfiguration,
} from '@dyntel/bench-kit';
import type { InstrumentationBase } from '@opentelemetry/instrumentation';
import type CircuitBreakerType from 'opossum';
import type * as Cockatiel from 'cockatiel';

const otherRoot = process.argv[2];
if (otherRoot === undefined) {
  console.error('usage: against-checkout.ts <path to another checkout of this repository, installed and built>');
  process.exit(2);
}

const BATCH = 100;
const ROUNDS = Number(process.env.ROUNDS ?? 7);
const ROUND_MILLIS = 400;

interface Variant {
  label: string;
  Instrumentation: new (config: object) => InstrumentationBase;
  CircuitBreaker: typeof CircuitBreakerType;
  cockatiel: typeof Cockatiel;
}

async function variant(label: string, root: string): Promise<Variant> {
  const packageDir = join(root, 'packages', 'instrumentation-circuit-breaker');
  const require = createRequire(join(packageDir, 'package.json'));
  const { CircuitBreakerInstrumentation } = require(join(packageDir, 'dist', 'index.cjs')) as {
    CircuitBreakerInstrumentation: Variant['Instrumentation'];
  };
  const cockatielDir = join(root, 'node_modules', 'cockatiel');
  const { main } = require(join(cockatielDir, 'package.json')) as { main: string };
  return {
    label,
    Instrumentation: CircuitBreakerInstrumentation,
    CircuitBreaker: require('opossum') as typeof CircuitBreakerType,
    cockatiel: (await import(pathToFileURL(join(cockatielDir, main)).href)) as typeof Cockatiel,
  };
}

const here = resolve(import.meta.dirname, '..', '..', '..');
const variants = [await variant('this checkout', here), await variant(resolve(otherRoot), resolve(otherRoot))];
useAsyncLocalStorageContext();

type Library = 'opossum' | 'cockatiel';
type Case = SdkConfiguration | 'bare';

// Mean ns per call over `ROUND_MILLIS` of batches after a warm-up, then bytes allocated per call.
async function measure(v: Variant, library: Library, configuration: Case): Promise<[number, number]> {
  const action = async (x: number) => x;
  let instrumentation: InstrumentationBase | undefined;
  let patched: (() => void) | undefined;
  if (configuration !== 'bare') {
    const sdk = benchSdk(configuration);
    instrumentation = new v.Instrumentation({ enabled: false });
    if (sdk.tracerProvider !== undefined) instrumentation.setTracerProvider(sdk.tracerProvider);
    instrumentation.setMeterProvider(sdk.meterProvider);
    instrumentation.setLoggerProvider(sdk.loggerProvider);
    const definition = instrumentation.getModuleDefinitions().find((d) => d.name === library)!;
    const exports = library === 'opossum' ? v.CircuitBreaker : v.cockatiel;
    definition.patch!(exports);
    patched = () => definition.unpatch!(exports);
  }
  const breaker = new v.CircuitBreaker(action, { name: 'bench' });
  const policy = v.cockatiel.circuitBreaker(v.cockatiel.handleAll, { halfOpenAfter: 10_000, breaker: new v.cockatiel.ConsecutiveBreaker(5) });
  const call = library === 'opossum' ? (i: number) => breaker.fire(i) : (i: number) => policy.execute(() => action(i));
  const batch = () => Promise.all(Array.from({ length: BATCH }, (_, i) => call(i)));
  const run = configuration === 'bare' ? batch : () => runIn(configuration, batch);
  for (let i = 0; i < 50; i++) await run();
  let batches = 0;
  const start = performance.now();
  while (performance.now() - start < ROUND_MILLIS) {
    await run();
    batches += 1;
  }
  const nsPerCall = ((performance.now() - start) * 1e6) / (batches * BATCH);
  const { bytesPerOp } = await countAllocations(run, 100, BATCH);
  breaker.shutdown();
  patched?.();
  return [nsPerCall, bytesPerOp];
}

const cases: Case[] = ['bare', ...SDK_CONFIGURATIONS];
const samples = new Map<string, number[]>();
const bytes = new Map<string, number[]>();
for (let round = 0; round < ROUNDS; round++) {
  for (const library of ['opossum', 'cockatiel'] as const) {
    for (const configuration of cases) {
      // Alternate which variant goes first, so neither always runs warmer.
      const order = round % 2 === 0 ? variants : [...variants].reverse();
      for (const v of order) {
        const key = `${library}\u0000${configuration}\u0000${v.label}`;
        const [ns, allocated] = await measure(v, library, configuration);
        samples.set(key, [...(samples.get(key) ?? []), ns]);
        bytes.set(key, [...(bytes.get(key) ?? []), allocated]);
      }
    }
  }
}

const median = (key: string, of = samples) => sampleStatistics(of.get(key)!).median;
const rows: string[][] = [];
for (const library of ['opossum', 'cockatiel'] as const) {
  const bare = variants.map((v) => median(`${library}\u0000bare\u0000${v.label}`));
  for (const configuration of SDK_CONFIGURATIONS) {
    const added = variants.map((v, i) => median(`${library}\u0000${configuration}\u0000${v.label}`) - bare[i]!);
    const bareBytes = variants.map((v) => median(`${library}\u0000bare\u0000${v.label}`, bytes));
    const addedBytes = variants.map((v, i) => median(`${library}\u0000${configuration}\u0000${v.label}`, bytes) - bareBytes[i]!);
    rows.push([
      library,
      configuration,
      `${Math.round(added[0]!)} ns`,
      `${Math.round(added[1]!)} ns`,
      (added[0]! / added[1]!).toFixed(2),
      `${Math.round(addedBytes[0]!)} B`,
      `${Math.round(addedBytes[1]!)} B`,
    ]);
  }
}
console.log(`${ROUNDS} alternating rounds of ${ROUND_MILLIS} ms per case, ${BATCH} concurrent calls per batch; medians\n`);
console.log(
  markdownTable(
    ['library', 'configuration', `added: ${variants[0]!.label}`, `added: ${variants[1]!.label}`, 'this / other', 'allocated added: this', 'allocated added: other'],
    rows,
  ),
);
