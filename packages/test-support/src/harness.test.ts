import { afterEach, describe, expect, it } from 'vitest';
import { AlwaysOffSampler, type InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { InstrumentationBase, InstrumentationNodeModuleDefinition, isWrapped } from '@opentelemetry/instrumentation';
import { FAKE_EVENT, FAKE_METRIC, FAKE_SPAN, FakeInstrumentation, type FakeConfig } from '../test/fake-instrumentation';
import { InstrumentationHarness } from './harness';

type SdkTrace = { InMemorySpanExporter: typeof InMemorySpanExporter };
type Core = { hrTimeToMilliseconds: (time: [number, number]) => number };

/** Replaces a function export, as instrumentations of `export default fn` libraries do. */
class ReplacingInstrumentation extends InstrumentationBase {
  constructor() {
    super('@dyntel/replacing-instrumentation', '0.0.0', { enabled: false });
  }

  protected override init() {
    const originals = new WeakMap<object, Core['hrTimeToMilliseconds']>();
    return [
      new InstrumentationNodeModuleDefinition(
        '@opentelemetry/core',
        ['*'],
        (exports: Core) => {
          originals.set(exports, exports.hrTimeToMilliseconds);
          exports.hrTimeToMilliseconds = () => -1;
          return exports;
        },
        (exports: Core) => {
          exports.hrTimeToMilliseconds = originals.get(exports)!;
        },
      ),
    ];
  }
}

describe('InstrumentationHarness', () => {
  let harness: InstrumentationHarness<FakeInstrumentation, FakeConfig> | undefined;
  afterEach(() => harness?.close());

  it('passes the config with the hooks disabled, and wires the providers to the instrumentation', async () => {
    let calls = 0;
    harness = new InstrumentationHarness((config: FakeConfig) => new FakeInstrumentation(config), { onCall: () => calls++ });
    expect(harness.instrumentation.getConfig().enabled).toBe(false);
    // Enabled as the patched modules' wrappers see it, though no hook is registered.
    expect(harness.instrumentation.isEnabled()).toBe(true);

    const { InMemorySpanExporter: Exporter } = harness.require<SdkTrace>('@opentelemetry/sdk-trace');
    new Exporter().reset();

    expect(calls).toBe(1);
    expect(harness.spans().map((s) => s.name)).toEqual([FAKE_SPAN]);
    expect((await harness.waitForEvent(FAKE_EVENT, { 'fake.outcome': 'success' })).name).toBe(FAKE_EVENT);
    expect(harness.events(FAKE_EVENT)).toHaveLength(1);
    expect(await harness.points(FAKE_METRIC)).toEqual([{ name: FAKE_METRIC, attributes: { 'fake.outcome': 'success' }, value: 1 }]);
  });

  it('patches an ESM namespace through import(), and close() unpatches what it patched', async () => {
    harness = new InstrumentationHarness((config: FakeConfig) => new FakeInstrumentation(config));
    const esm = await harness.import<SdkTrace>('@opentelemetry/sdk-trace');
    const cjs = harness.require<SdkTrace>('@opentelemetry/sdk-trace');
    expect(esm.InMemorySpanExporter).not.toBe(cjs.InMemorySpanExporter);
    expect(isWrapped(esm.InMemorySpanExporter.prototype.reset)).toBe(true);

    await harness.close();
    harness = undefined;
    expect(isWrapped(esm.InMemorySpanExporter.prototype.reset)).toBe(false);
    expect(isWrapped(cjs.InMemorySpanExporter.prototype.reset)).toBe(false);
  });

  it('hands out the namespace with an export the definition replaced (a real namespace is read-only), until close()', async () => {
    const replacing = new InstrumentationHarness(() => new ReplacingInstrumentation());
    const core = await replacing.import<Core>('@opentelemetry/core');
    expect(core.hrTimeToMilliseconds([1, 0])).toBe(-1);
    // The module itself is untouched: only the copy the harness returned is patched.
    expect((await import('@opentelemetry/core')).hrTimeToMilliseconds([1, 0])).toBe(1000);
    await replacing.close();
    expect(core.hrTimeToMilliseconds([1, 0])).toBe(1000);
  });

  it('uses the sampler it is given', () => {
    harness = new InstrumentationHarness((config: FakeConfig) => new FakeInstrumentation(config), {}, { sampler: new AlwaysOffSampler() });
    new (harness.require<SdkTrace>('@opentelemetry/sdk-trace').InMemorySpanExporter)().reset();
    expect(harness.spans()).toEqual([]);
  });

  it('refuses a package the instrumentation has no module definition for', () => {
    harness = new InstrumentationHarness((config: FakeConfig) => new FakeInstrumentation(config));
    expect(() => harness!.require('@opentelemetry/sdk-logs')).toThrow('@dyntel/fake-instrumentation has no module definition for @opentelemetry/sdk-logs');
  });
});
