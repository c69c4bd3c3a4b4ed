import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SKIPPED_PROCESSES } from './env-variables';
import { skippedProcess } from './skipped-process';

describe('skippedProcess', () => {
  // Main scripts as process.argv[1] shows them: the command as typed (links are not resolved).
  it.each([
    ['/usr/lib/node_modules/npm/bin/npm-cli.js', 'npm'],
    ['/usr/bin/npm', 'npm'],
    ['/home/u/.nvm/versions/node/v22.15.0/lib/node_modules/npm/bin/npx-cli.js', 'npx'],
    ['C:\\Program Files\\nodejs\\node_modules\\npm\\bin\\npm-cli.js', 'npm'],
    ['/usr/lib/node_modules/corepack/dist/pnpm.js', 'pnpm'],
    ['/usr/lib/node_modules/corepack/dist/corepack.js', 'corepack'],
    ['/srv/app/.yarn/releases/yarn-4.5.0.cjs', 'yarn'],
    ['/usr/local/lib/node_modules/yarn/bin/yarn.js', 'yarn'],
    ['/usr/local/lib/node_modules/pnpm/bin/pnpm.cjs', 'pnpm'],
    ['/srv/app/node_modules/.bin/tsup', 'tsup'],
    ['/srv/app/node_modules/tsup/dist/cli-default.js', 'tsup'],
    ['/srv/app/node_modules/typescript/bin/tsc', 'tsc'],
    ['/srv/app/node_modules/vite/bin/vite.js', 'vite'],
    ['/srv/app/node_modules/lerna/dist/cli.js', 'lerna'],
    ['/srv/app/node_modules/nx/bin/nx.js', 'nx'],
    ['/srv/app/node_modules/tsx/dist/cli.mjs', 'tsx'],
    ['/srv/app/node_modules/nodemon/bin/nodemon.js', 'nodemon'],
  ])('skips %s (%s)', (mainPath, name) => {
    expect(skippedProcess(mainPath, {})).toBe(name);
  });

  it.each([
    ['an application', '/srv/app/server.js'],
    ['an application whose name starts like a tool', '/srv/app/npm-start.mjs'],
    ['an application run from its own package', '/srv/app/node_modules/checkout/dist/cli.js'],
    ['an application under a tool that runs it in its own process', '/srv/app/node_modules/.bin/ts-node'],
    ['node -e or the REPL', undefined],
  ])('starts in %s', (_what, mainPath) => {
    expect(skippedProcess(mainPath, {})).toBeUndefined();
  });

  it('skips the processes DYNTEL_SKIP_PROCESSES lists instead, and none with none', () => {
    expect(skippedProcess('/srv/app/node_modules/pm2/bin/pm2', { DYNTEL_SKIP_PROCESSES: 'npm, pm2' })).toBe('pm2');
    expect(skippedProcess('/srv/app/node_modules/vite/bin/vite.js', { DYNTEL_SKIP_PROCESSES: 'npm,pm2' })).toBeUndefined();
    expect(skippedProcess('/usr/bin/npm', { DYNTEL_SKIP_PROCESSES: 'none' })).toBeUndefined();
  });

  it('is documented with its default list in the README', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(`| \`DYNTEL_SKIP_PROCESSES\` | comma list of script or package names, or \`none\` | \`${SKIPPED_PROCESSES.join(',')}\` |`);
  });
});
