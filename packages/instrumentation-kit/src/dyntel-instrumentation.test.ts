import { afterEach, describe, expect, it } from 'vitest';
import { diag, DiagLogLevel, type Counter, type Meter } from '@opentelemetry/api';
import type { InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import type { ConfigSchema } from './config-schema';
import { DyntelInstrumentation, type DyntelInstrumentationConfig } from './dyntel-instrumentation';
import type { AnyModulePatcher, ModulePatcher } from './module-patcher';

interface TestConfig extends DyntelInstrumentationConfig {
  requestHook?: () => void;
  label?: string;
}

interface Library {
  Client: { prototype: { send(): string } };
}

const created: Meter[] = [];
const replaced: [Counter, Counter][] = [];
const patches: string[] = [];

class TestInstrumentation extends DyntelInstrumentation<TestConfig, { calls: Counter }> {
  constructor(config: TestConfig = {}) {
    super('@dyntel/test-instrumentation', '0.0.0', config);
  }

  protected override configSchema(): ConfigSchema {
    return { requestHook: 'function', label: 'string' };
  }

  protected override createInstruments(meter: Meter) {
    created.push(meter);
    return { calls: meter.createCounter('test.calls') };
  }

  protected override instrumentsReplaced(previous: { calls: Counter }, next: { calls: Counter }): void {
    replaced.push([previous.calls, next.calls]);
  }

  protected override patchers(): AnyModulePatcher[] {
    const shim = this.shim;
    const patcher: ModulePatcher<Library> = {
      moduleName: 'test-library',
      versions: '>=1 <2',
      resolve: (exports) => (exports as Library | undefined)?.Client === undefined ? undefined : (exports as Library),
      prototypeOf: (library) => library.Client.prototype,
      patch: (library) => {
        patches.push('patch');
        shim.wrap(library.Client.prototype, 'send', (original) => function (this: unknown) {
          return `instrumented ${original.call(this) as string}`;
        });
      },
      unpatch: (library) => {
        patches.push('unpatch');
        shim.unwrap(library.Client.prototype, 'send');
      },
    };
    return [patcher];
  }

  /** The instruments, for the test. */
  get current(): { calls: Counter } {
    return this.instruments;
  }
}

afterEach(() => {
  created.length = 0;
  replaced.length = 0;
  patches.length = 0;
  diag.disable();
});

describe('DyntelInstrumentation', () => {
  it('rejects a wrong value at construction and in setConfig, in the one message format', () => {
    expect(() => new TestInstrumentation({ requestHook: 'no' as never })).toThrow(
      new TypeError('@dyntel/test-instrumentation: invalid config.requestHook: "no"; expected a function or undefined'),
    );
    const instrumentation = new TestInstrumentation({ enabled: false });
    expect(() => instrumentation.setConfig({ requireParentSpan: 1 as never })).toThrow(
      '@dyntel/test-instrumentation: invalid config.requireParentSpan: 1; expected true, false or undefined',
    );
    expect(() => instrumentation.setConfig({ label: '' })).toThrow('invalid config.label: ""; expected a non-empty string or undefined');
  });

  it('reports an unknown option once, as the likely typo it is, and goes on', () => {
    const warnings: string[] = [];
    diag.setLogger({ error: () => {}, warn: (m) => warnings.push(m), info: () => {}, debug: () => {}, verbose: () => {} }, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
    new TestInstrumentation({ enabled: false, requesthook: () => {} } as TestConfig);
    expect(warnings).toEqual([
      '@dyntel/test-instrumentation: unknown config option "requesthook" ignored; known options: enabled, requireParentSpan, requestHook, label',
    ]);
  });

  it('creates instruments on first use, and again on a new meter, telling the subclass', () => {
    const instrumentation = new TestInstrumentation({ enabled: false });
    instrumentation.setMeterProvider(new MeterProvider());
    expect(created).toEqual([]);
    const first = instrumentation.current;
    expect(instrumentation.current).toBe(first);
    expect(created).toHaveLength(1);
    instrumentation.setMeterProvider(new MeterProvider());
    expect(created).toHaveLength(2);
    expect(replaced).toEqual([[first.calls, instrumentation.current.calls]]);
  });

  it('falls back to no-op instruments when the meter cannot create them, reporting it', () => {
    const errors: string[] = [];
    diag.setLogger({ error: (m) => errors.push(m), warn: () => {}, info: () => {}, debug: () => {}, verbose: () => {} }, { logLevel: DiagLogLevel.ERROR, suppressOverrideMessage: true });
    const instrumentation = new TestInstrumentation({ enabled: false });
    const broken = new Proxy({}, { get: () => () => { throw new Error('meter down'); } }) as Meter;
    instrumentation.setMeterProvider({ getMeter: () => broken });
    expect(() => instrumentation.current.calls.add(1)).not.toThrow();
    expect(instrumentation.current).toBe(instrumentation.current);
    expect(errors).toEqual([expect.stringContaining('@dyntel/test-instrumentation: creating instruments failed')]);
  });

  it('patches a prototype once when a module is loaded twice (require and import), and again after unpatching', () => {
    class Client {
      send(): string {
        return 'sent';
      }
    }
    const library: Library = { Client };
    const [definition] = new TestInstrumentation({ enabled: false }).getModuleDefinitions() as InstrumentationNodeModuleDefinition[];
    definition!.patch!(library, '1.0.0');
    definition!.patch!({ default: undefined, ...library }, '1.0.0');
    expect(new Client().send()).toBe('instrumented sent');
    expect(patches).toEqual(['patch']);
    definition!.unpatch!(library, '1.0.0');
    expect(new Client().send()).toBe('sent');
    definition!.patch!(library, '1.0.0');
    expect(new Client().send()).toBe('instrumented sent');
    expect(patches).toEqual(['patch', 'unpatch', 'patch']);
  });

  it('leaves a module it does not recognise alone, with a warning', () => {
    const warnings: string[] = [];
    diag.setLogger({ error: () => {}, warn: (m) => warnings.push(m), info: () => {}, debug: () => {}, verbose: () => {} }, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
    const [definition] = new TestInstrumentation({ enabled: false }).getModuleDefinitions() as InstrumentationNodeModuleDefinition[];
    const exports = { something: 'else' };
    expect(definition!.patch!(exports, '1.2.3')).toBe(exports);
    expect(warnings).toEqual(['@dyntel/test-instrumentation: test-library 1.2.3 exports nothing this instrumentation knows; not instrumented']);
    expect(patches).toEqual([]);
  });
});
