import { describe, expect, it } from 'vitest';
import { FakeInstrumentation } from '../../test/fake-instrumentation';
import { FaultInjector, InstrumentationFault } from './faults';

describe('FaultInjector', () => {
  it('makes every provider fault throw when the instrumentation uses it, and counts each throw', () => {
    const injector = new FaultInjector();
    const uses: Record<string, (i: FakeInstrumentation) => unknown> = {
      'a tracer that throws': (i) => i['tracer'].startSpan('x'),
      'a meter whose instruments throw': (i) => i['meter'].createCounter('x').add(1),
      'a meter that cannot create instruments': (i) => i['meter'].createCounter('x'),
      'a logger that throws': (i) => i['logger'].emit({}),
    };
    const faults = injector.faults([]);
    expect(faults.map((f) => f.title)).toEqual(Object.keys(uses));
    for (const fault of faults) {
      const instrumentation = new FakeInstrumentation({ enabled: false });
      fault.apply(instrumentation);
      expect(() => uses[fault.title]!(instrumentation)).toThrow(InstrumentationFault);
    }
    expect(injector.raised).toBe(4);
  });

  it('makes each named hook a throwing function in the config', () => {
    const injector = new FaultInjector();
    const [hook] = injector.faults(['onCall']).slice(4);
    expect(hook!.title).toBe('a throwing onCall');
    expect(() => (hook!.config as { onCall: () => void }).onCall()).toThrow(InstrumentationFault);
    expect(injector.raised).toBe(1);
  });
});
