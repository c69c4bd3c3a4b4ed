// The root README's "Use it" examples work as written: each command's variables read without a
// problem and send every signal somewhere the command named, a Prometheus endpoint scraped
// from another host listens beyond localhost, and the PromQL in the READMEs parses (promtool)
// with the root README's breaker alert the one the circuit-breaker README gives, and the retry
// README has a query per retry metric, on the names Prometheus gives them.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readDyntelConfig } from '@dyntel/register/sdk';
import { describe, expect, it } from 'vitest';
import { testBinary } from './ensure-test-servers.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const rootReadme = readFileSync(join(root, 'README.md'), 'utf8');
const breakerReadme = readFileSync(join(root, 'packages', 'instrumentation-circuit-breaker', 'README.md'), 'utf8');
const retryReadme = readFileSync(join(root, 'packages', 'instrumentation-retry', 'README.md'), 'utf8');

/** The bodies of the fenced blocks of one language in a Markdown section (to the next `## `). */
function blocks(markdown: string, language: string, section?: string): string[] {
  const text = section === undefined ? markdown : markdown.slice(markdown.indexOf(`\n## ${section}\n`)).split(/\n## /)[1] ?? '';
  return [...text.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((m) => m[1]!);
}

/** Each command of a shell block (continuations joined, comments dropped) as its variables. */
function commands(sh: string): Array<Record<string, string>> {
  return sh
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'))
    .map((line) => Object.fromEntries([...line.matchAll(/(?:^|\s)([A-Z_]+)=("[^"]*"|\S+)/g)].map((m) => [m[1]!, m[2]!.replace(/^"|"$/g, '')])));
}

/** The expressions of a PromQL block: comments dropped, indented lines continue the one above. */
function expressions(promql: string): string[] {
  return promql
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .reduce<string[]>((all, line) => (/^\s/.test(line) && all.length > 0 ? [...all.slice(0, -1), `${all.at(-1)} ${line.trim()}`] : [...all, line]), []);
}

const useIt = blocks(rootReadme, 'sh', 'Use it').flatMap(commands).filter((env) => 'NODE_OPTIONS' in env);
const scrapesAnotherHost = blocks(rootReadme, 'yaml', 'Use it').some((yaml) => /targets: \['(?!localhost|127\.0\.0\.1)[^']+'\]/.test(yaml));

describe('the root README, Use it', () => {
  it('has commands to check', () => {
    expect(useIt.length).toBeGreaterThanOrEqual(2);
  });

  it.each(useIt.map((env) => [Object.keys(env).join(' '), env] as const))('%s: reads cleanly and exports only where it says', (_vars, env) => {
    const { config, problems } = readDyntelConfig(env);
    expect(problems).toEqual([]);
    for (const signal of ['traces', 'metrics', 'logs'] as const) {
      const exporters: readonly string[] = config[signal].exporters;
      if (exporters.includes('otlp')) expect(Object.keys(env), `${signal} go to OTLP, but no OTLP endpoint is set`).toContainEqual(expect.stringMatching(/^OTEL_EXPORTER_OTLP_(\w+_)?ENDPOINT$/));
    }
    if (config.metrics.exporters.includes('prometheus') && scrapesAnotherHost) expect(config.metrics.prometheus.host).toBe('0.0.0.0');
  });
});

describe('PromQL in the READMEs', () => {
  const rootAlerts = blocks(rootReadme, 'promql').flatMap(expressions);
  const breakerQueries = blocks(breakerReadme, 'promql').flatMap(expressions);
  const retryQueries = blocks(retryReadme, 'promql').flatMap(expressions);

  it("the root README's breaker alert is the circuit-breaker README's", () => {
    expect(rootAlerts.length).toBeGreaterThan(0);
    for (const alert of rootAlerts) expect(breakerQueries).toContain(alert);
  });

  // The names a Prometheus scrape of the retry metrics has (the register's Prometheus
  // end-to-end test queries them): each metric of the contract has a query.
  it.each([
    ['resilience.retry.call.duration', /\bresilience_retry_call_duration_seconds_(bucket|count|sum)\b/],
    ['resilience.retry.attempt.duration', /\bresilience_retry_attempt_duration_seconds_(bucket|count|sum)\b/],
    ['resilience.retry.attempts', /\bresilience_retry_attempts_(bucket|count|sum)\b/],
    ['resilience.retry.retries', /\bresilience_retry_retries_total\b/],
  ])('the retry README has a query of %s', (_metric, series) => {
    expect(retryQueries.filter((query) => series.test(query))).not.toEqual([]);
  });

  it('the retry README queries only series the retry metrics have', () => {
    const names = retryQueries.flatMap((query) => [...query.matchAll(/\bresilience_\w+/g)].map((m) => m[0]));
    expect(names.length).toBeGreaterThan(0);
    const known = /^resilience_retry_(call_duration_seconds|attempt_duration_seconds|attempts)_(bucket|count|sum)$|^resilience_retry_retries_total$|^resilience_retry_(name|outcome|backoff_strategy)$/;
    expect(names.filter((name) => !known.test(name))).toEqual([]);
  });

  it('parses (promtool check rules)', () => {
    const promtool = testBinary('prometheus', 'promtool');
    const dir = mkdtempSync(join(tmpdir(), 'dyntel-promql-'));
    const rules = [...rootAlerts, ...breakerQueries, ...retryQueries].map((expr, i) => `      - record: readme:query_${i}\n        expr: ${JSON.stringify(expr)}`);
    writeFileSync(join(dir, 'rules.yml'), `groups:\n  - name: readme\n    rules:\n${rules.join('\n')}\n`);
    expect(execFileSync(promtool, ['check', 'rules', join(dir, 'rules.yml')], { encoding: 'utf8' })).toContain('SUCCESS');
  });
});
