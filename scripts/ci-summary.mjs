// Prints vitest JSON results as one plain closing line per run, e.g.
// "node24: 488 passed, 0 failed, 2 skipped", the form CI reads in any language.
import { readFileSync } from 'node:fs';

let failed = 0;
for (const arg of process.argv.slice(2)) {
  const [label, file] = arg.split('=');
  const results = JSON.parse(readFileSync(file, 'utf8'));
  const skipped = results.numPendingTests + results.numTodoTests;
  console.log(`${label}: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped`);
  failed += results.numFailedTests;
}
process.exitCode = failed > 0 ? 1 : 0;
