// The XState releases instrumented, and the seed system's contract on the oldest of them and
// one from the middle of the range (installed as npm aliases), required and imported, each one
// bare against instrumented too; the release the package is developed against runs the same
// suite in xstate-seed.test.ts.
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import type { InstrumentationHarness } from '@dyntel/test-support';
import { AgentsInstrumentation } from '../src/instrumentation';
import { agentsHarness } from './support/harness';
import { runOrderScenario, type XStateModule } from './support/machines';
import { describeOrderSystem } from './support/xstate-seed-suite';

const require = createRequire(import.meta.url);

/** Each release tested here: its alias, its version. */
const RELEASES: [string, string][] = [
  ['xstate-v5-7', '5.7.0'],
  ['xstate-v5-12', '5.12.0'],
];

describe('the xstate releases the hooks patch', () => {
  // Transitions are counted from the @xstate.microstep inspection events, which XState sends from 5.7 on.
  it('are >=5.7.0 <6', () => {
    const definitions = new AgentsInstrumentation({ enabled: false }).getModuleDefinitions();
    expect(definitions.filter((d) => d.name === 'xstate').map((d) => d.supportedVersions)).toEqual([['>=5.7.0 <6']]);
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
