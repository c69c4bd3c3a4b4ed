// The seed's order-fulfilment system on the xstate the package is developed against, required and imported.
import type { InstrumentationHarness } from '@dyntel/test-support';
import type { AgentsInstrumentation } from '../src/instrumentation';
import type { XStateModule } from './support/machines';
import { describeOrderSystem } from './support/xstate-seed-suite';

const LOADERS: [string, (h: InstrumentationHarness<AgentsInstrumentation>) => Promise<XStateModule>][] = [
  ['require', async (h) => h.require<XStateModule>('xstate')],
  ['import', (h) => h.import<XStateModule>('xstate')],
];

for (const [how, load] of LOADERS) describeOrderSystem(`loaded with ${how}`, load);
