// The XState releases instrumented, and the seed system's contract on releases across the range
// (installed as npm aliases): 5.0, 5.3 and 5.6, whose transitions are told from snapshots, and
// 5.7 (the first with microsteps) and 5.12, required and imported, each one bare against
// instrumented too; the release the package is developed against runs the same suite in
// xstate-seed.test.ts.
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import type { InstrumentationHarness } from '@dyntel/test-support';
import { AgentsInstrumentation } from '../src/instrumentation';
import { withoutMicrosteps } from '../src/xstate/create-actor-patcher';
import { agentsHarness } from './support/harness';
import { runOrderScenario, type XStateModule } from './support/machines';
import { describeOrderSystem } from './support/xstate-seed-suite';

const require = createRequire(import.meta.url);

/** Each release tested here: its alias, its version. */
const RELEASES: [string, string][] = [
  ['xstate-v5-0', '5.0.0'],
  ['xstate-v5-3', '5.3.1'],
  ['xstate-v5-6', '5.6.2'],
  ['xstate-v5-7', '5.7.0'],
  ['xstate-v5-12', '5.12.0'],
];

describe('the xstate releases the hooks patch', () => {
  it('are >=5.0.0 <6', () => {
    const definitions = new AgentsInstrumentation({ enabled: false }).getModuleDefinitions();
    expect(definitions.filter((d) => d.name === 'xstate').map((d) => d.supportedVersions)).toEqual([['>=5.0.0 <6']]);
  });

  // XState sends @xstate.microstep inspection events from 5.7 on.
  it('tell transitions from snapshots before 5.7 only', () => {
    expect(['5.0.0', '5.3.1', '5.6.2', '5.7.0', '5.12.0', '5.33.3', undefined].map(withoutMicrosteps)).toEqual([true, true, true, false, false, false, false]);
  });
});

for (const [alias, version] of RELEASES) {
  describe(`xstate ${version}`, () => {
    it('is the release installed under its alias', () => {
      expect((require(`${alias}/package.json`) as { version: string }).version).toBe(version);
    });

    describe('bare against instrumented', () => {
      let harness: InstrumentationHarness<AgentsInstrumentation> | undefined;
      afterEach(() => harness?.close());
      it('the seed scenario gives the same snapshots, outputs and errors', () => {
        const bare = runOrderScenario(require(alias) as XStateModule);
        harness = agentsHarness({ messageSpans: true });
        expect(runOrderScenario(harness.require<XStateModule>(alias))).toEqual(bare);
      });
    });
  });
  describeOrderSystem(`${version} required`, async (h) => h.require<XStateModule>(alias));
  describeOrderSystem(`${version} imported`, (h) => h.import<XStateModule>(alias));
}
