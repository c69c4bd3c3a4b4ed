import { createRequire } from 'node:module';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DiagLogLevel, diag } from '@opentelemetry/api';
import type { InstrumentationBase, InstrumentationConfig } from '@opentelemetry/instrumentation';
import { absent } from '@dyntel/test-span-assertions';
import { ATTR_ERROR_TYPE } from '@dyntel/semconv';
import { InstrumentationHarness } from '../harness';
import { runFixture } from '../child-report';
import { withTelemetry } from '../telemetry-preload';
import type { InstrumentationContractAdapter, ModuleLoader, OutcomeCase } from './adapter';
import { FaultInjector } from './faults';
import { ContractError, createProbe } from './probe';
import { settle, type Settlement } from './settlement';

const require = createRequire(import.meta.url);

/** The modules as they are, for the baseline runs. */
const untouched: ModuleLoader = async <T>(pkg: string, via: 'require' | 'import') => (via === 'require' ? require(pkg) : await import(pkg)) as T;

/** The modules patched by a harness, as the instrumentation's hooks would patch them. */
function patchedBy(harness: InstrumentationHarness<InstrumentationBase>): ModuleLoader {
  return async <T>(pkg: string, via: 'require' | 'import') => (via === 'require' ? harness.require<T>(pkg) : harness.import<T>(pkg));
}

/** Runs one case with a fresh probe and describes what the caller got. */
async function runCase<L>(library: L, outcomeCase: OutcomeCase<L>): Promise<Settlement> {
  const record = createProbe();
  try {
    return await settle(await outcomeCase.prepare(library, record.probe), record);
  } finally {
    record.end();
  }
}

/**
 * Registers the tests every instrumented library passes, whatever its family (breaker calls,
 * retried calls and attempts, pool acquires, agent steps): success, failure, one operation per
 * outcome of the family's closed enum (span, status, `error.type` and duration point), faults in
 * the tracer, meter, logger and user hooks that never change what the caller gets, and loading
 * through `--require` and `--import` in child processes.
 */
export function describeInstrumentationContract<L, O extends string, C extends InstrumentationConfig>(adapter: InstrumentationContractAdapter<L, O, C>): void {
  const { expected } = adapter;
  const outcomes = Object.values(adapter.outcomes);
  const produced = outcomes.filter((outcome) => adapter.cases[outcome] !== undefined);
  const caseOf = (outcome: O): OutcomeCase<L> => {
    const outcomeCase = adapter.cases[outcome];
    if (!outcomeCase) throw new Error(`${adapter.title} has no case for the outcome ${outcome}`);
    return outcomeCase;
  };
  const create = (config: C) => adapter.create(config);
  const outcomeAttribute = (outcome: string) => (expected.outcomeAttribute === undefined ? {} : { [expected.outcomeAttribute]: outcome });
  /** Counts by outcome (one bucket when there is no outcome attribute). */
  const countByOutcome = (items: { attributes: Record<string, unknown>; count: number }[]) => {
    const counts: Record<string, number> = {};
    for (const { attributes, count } of items) {
      const outcome = expected.outcomeAttribute === undefined ? 'all' : String(attributes[expected.outcomeAttribute]);
      counts[outcome] = (counts[outcome] ?? 0) + count;
    }
    return counts;
  };

  describe(`${adapter.title}: the instrumentation contract`, () => {
    it('runs every outcome of the enum, or says why the library cannot produce it', () => {
      const missing = outcomes.filter((outcome) => adapter.cases[outcome] === undefined && !adapter.notProduced?.[outcome]);
      expect(missing, 'outcomes neither run nor declared not produced').toEqual([]);
      expect(produced.filter((outcome) => adapter.notProduced?.[outcome] !== undefined), 'outcomes both run and declared not produced').toEqual([]);
      expect(produced as string[]).toEqual(expect.arrayContaining<string>([adapter.success, adapter.failure]));
    });

    describe('in process', () => {
      let harness: InstrumentationHarness<InstrumentationBase, C>;
      let library: L;
      beforeEach(async () => {
        harness = new InstrumentationHarness(create, adapter.config);
        library = await adapter.library(patchedBy(harness));
      });
      afterEach(() => harness.close());

      /** The operation's span and duration point carry the outcome, the name and exactly the expected error.type. */
      async function expectRecorded(outcome: O, settlement: Settlement, errorType: string | undefined): Promise<void> {
        await harness.recorder.waitForSpan({
          name: expected.spanName,
          status: settlement.settled === 'rejected' ? 'error' : 'unset',
          attributes: { ...expected.attributes, ...outcomeAttribute(outcome), [ATTR_ERROR_TYPE]: errorType ?? absent() },
        });
        const attributes = { ...expected.attributes, ...outcomeAttribute(outcome), ...(errorType === undefined ? {} : { [ATTR_ERROR_TYPE]: errorType }) };
        const points = await harness.points(expected.durationMetric);
        expect(points.filter((point) => point.value >= 1).map((point) => point.attributes)).toContainEqual(attributes);
      }

      it(`success: the caller gets the user function’s own value, and ${expected.spanName} has no error`, async () => {
        const settlement = await runCase(library, caseOf(adapter.success));
        expect(settlement).toMatchObject({ settled: 'resolved', with: 'the probe’s value' });
        await expectRecorded(adapter.success, settlement, undefined);
      });

      it(`failure: the caller gets the user function’s own error, and ${expected.spanName} is an error of its error.type`, async () => {
        const settlement = await runCase(library, caseOf(adapter.failure));
        expect(settlement).toMatchObject({ settled: 'rejected', with: 'the probe’s error' });
        await expectRecorded(adapter.failure, settlement, ContractError.name);
      });

      it.each(produced)(`outcome %s: ${expected.spanName} and ${expected.durationMetric} carry it`, async (outcome) => {
        const outcomeCase = caseOf(outcome);
        await expectRecorded(outcome, await runCase(library, outcomeCase), outcomeCase.errorType);
      });
    });

    describe('faults never change results', () => {
      const injector = new FaultInjector();
      beforeAll(() => {
        // Faults are reported through the diagnostic logger; keep them out of the test output.
        const quiet = () => {};
        diag.setLogger({ error: quiet, warn: quiet, info: quiet, debug: quiet, verbose: quiet }, DiagLogLevel.ERROR);
      });
      afterAll(() => diag.disable());

      /** Every produced outcome's settlement, run one after the other. */
      async function settleAll(library: L): Promise<Partial<Record<O, Settlement>>> {
        const settlements: Partial<Record<O, Settlement>> = {};
        for (const outcome of produced) settlements[outcome] = await runCase(library, caseOf(outcome));
        return settlements;
      }

      it.each(injector.faults(adapter.hooks ?? []).map((fault) => [fault.title, fault] as const))(
        'with %s, every outcome reaches the caller as it does without instrumentation: values, errors, this, promises',
        async (_title, fault) => {
          const baseline = await settleAll(await adapter.library(untouched));
          const raisedBefore = injector.raised;
          const harness = new InstrumentationHarness(create, { ...adapter.config, ...fault.config } as C);
          try {
            const library = await adapter.library(patchedBy(harness));
            fault.apply(harness.instrumentation);
            expect(await settleAll(library)).toEqual(baseline);
          } finally {
            await harness.close();
          }
          expect(injector.raised, 'the fault was never raised: the test proved nothing').toBeGreaterThan(raisedBefore);
        },
      );
    });

    const { loading } = adapter;
    if (loading) {
      describe.each([
        ['--require', loading.apps.require],
        ['--import', loading.apps.import],
      ] as const)('node %s (child process, built package): %s', (loader, app) => {
        it(`emits ${loading.spanName} spans and one ${expected.durationMetric} count per span, by outcome`, async () => {
          const report = await runFixture(withTelemetry({ ...loading.instrumentation, loader }, { script: app, cwd: loading.cwd }));
          const spans = report.spans.filter((span) => span.name === loading.spanName);
          expect(spans.length).toBeGreaterThan(0);
          const bySpans = countByOutcome(spans.map((span) => ({ attributes: span.attributes, count: 1 })));
          const byPoints = countByOutcome(report.points.filter((point) => point.name === expected.durationMetric).map((point) => ({ attributes: point.attributes, count: point.value })));
          if (expected.outcomeAttribute !== undefined) expect(Object.keys(bySpans).filter((outcome) => !outcomes.includes(outcome as O))).toEqual([]);
          expect(byPoints).toEqual(bySpans);
        });
      });
    }
  });
}
