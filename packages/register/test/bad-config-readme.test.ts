import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { README, REGENERATE, renderBadConfigTable, withTable } from '../scripts/bad-config-table';

it("the README's bad-configuration table is the one the tests' cases render", () => {
  const readme = readFileSync(README, 'utf8');
  expect(readme, `the table in packages/register/README.md is out of date: run ${REGENERATE}`).toBe(withTable(readme, renderBadConfigTable()));
});
