// The live page in a real browser: Debian's chromium (fetched by `npm test` into .cache/debian)
// driven by playwright-core. The demo runs under the register entry with the live view on; its
// downstream goes down and recovers, and the page, opened once, shows the breaker go from
// closed to open to closed without a reload. A second application has a breaker named with
// markup, which the page shows as text. LIVE_VIEW_SCREENSHOT=<file> keeps a screenshot of the
// demo's page after the recovery (the README's).
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { chromiumAvailable, chromiumLaunch, freePort, inheritedEnv, LineLog, type ChromiumLaunch } from '@dyntel/test-support';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';

const DEMO = fileURLToPath(new URL('../../../examples/demo/src/launch.mjs', import.meta.url));
const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const MARKUP = '<img src=x onerror=alert(1)>';
// The demo's fault script at twice its speed: healthy, outage, recovered, 4 s each.
const PHASE_MILLIS = 4_000;

let launch: ChromiumLaunch | undefined;
let browser: Browser | undefined;
const children: ChildProcess[] = [];

/** Starts a child in a process group of its own; resolves with its stdout and stderr lines. */
function start(args: string[], env: Record<string, string>, cwd?: string) {
  const child = spawn(process.execPath, args, { env: { ...inheritedEnv(/^DEMO_/), ...env }, cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  children.push(child);
  return { child, stdout: new LineLog(child.stdout!), stderr: new LineLog(child.stderr!) };
}

/** Waits for the register's line that the live view listens, or for the child's end. */
async function liveViewUrl(stderr: LineLog, child: ChildProcess): Promise<string> {
  const served = stderr.waitFor(/the live view is served on (\S+) /).then((m) => m[1]!);
  const ended = once(child, 'exit').then(() => Promise.reject(new Error(`the application ended before its live view listened:\n${stderr}`)));
  return Promise.race([served, ended]);
}

beforeAll(async () => {
  const available = chromiumAvailable();
  if (!available.ok) throw new Error(available.reason);
  launch = chromiumLaunch();
  browser = await chromium.launch({ executablePath: launch.executablePath, args: launch.args, env: launch.env, headless: true });
});

afterAll(async () => {
  await browser?.close();
  await Promise.all(
    children.map(async (child) => {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
      const closed = once(child, 'close');
      process.kill(-child.pid, 'SIGINT');
      await closed;
    }),
  );
});

/** A page that counts navigations and dialogs: a reload or a script from data would show in them. */
async function openPage(url: string): Promise<{ page: Page; navigations: () => number; dialogs: string[] }> {
  const page = await browser!.newPage({ viewport: { width: 1440, height: 900 } });
  let navigations = 0;
  const dialogs: string[] = [];
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) navigations++;
  });
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(url);
  return { page, navigations: () => navigations, dialogs };
}

/** Waits until the breaker's row on the page shows `state` (the browser watches the page; nothing polls from here). */
function breakerState(page: Page, name: string, state: string, timeout: number) {
  return page.locator(`#breakers tbody tr[data-name="${name}"] .state`, { hasText: new RegExp(`^${state}$`) }).waitFor({ timeout });
}

it('shows the demo\'s breaker go from closed to open to closed as the downstream fails and recovers, without a reload', async () => {
  const [livePort, metricsPort] = [await freePort(), await freePort()];
  const demo = start([DEMO], { DEMO_SPEED: '2', OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort), DYNTEL_LIVE_PORT: String(livePort), DYNTEL_LIVE_HOST: '127.0.0.1' });
  await demo.stdout.waitFor(/^live view on http:\/\/127\.0\.0\.1:\d+\/$/);
  const url = await liveViewUrl(demo.stderr, demo.child);
  expect(url).toBe(`http://127.0.0.1:${livePort}/`);

  const { page, navigations, dialogs } = await openPage(url);
  // A mark on the window: a reload would make a new one without it.
  await page.evaluate('window.opened = 1');
  // Each phase lasts PHASE_MILLIS; one full cycle is three of them, and the breaker may need part of a second.
  const cycle = 3 * PHASE_MILLIS + 10_000;
  await breakerState(page, 'inventory', 'closed', cycle);
  await breakerState(page, 'inventory', 'open', cycle);
  await breakerState(page, 'inventory', 'closed', cycle);
  expect(await page.evaluate('window.opened')).toBe(1);
  expect(navigations()).toBe(1);
  expect(dialogs).toEqual([]);

  // The row's timeline holds the open stretch; the retry and pool rows are there too.
  const row = page.locator('#breakers tbody tr', { hasText: 'inventory' });
  await expect(row.locator('.timeline .state-open').count()).resolves.toBeGreaterThan(0);
  await expect(page.locator('#retries tbody tr', { hasText: 'inventory' }).count()).resolves.toBe(1);
  await expect(page.locator('#pools tbody tr').count()).resolves.toBeGreaterThan(0);
  await expect(page.locator('#connection').textContent()).resolves.toBe('live');
  if (process.env.LIVE_VIEW_SCREENSHOT) {
    // A few seconds closed again, so that the timeline shows the recovery too.
    await row.locator('.since', { hasText: /^([4-9]|\d\d+) s$/ }).waitFor({ timeout: PHASE_MILLIS * 2 });
    await page.screenshot({ path: process.env.LIVE_VIEW_SCREENSHOT, fullPage: true });
  }
  await page.close();
}, 120_000);

it('shows a breaker named with markup as those characters, and runs nothing of it', async () => {
  const livePort = await freePort();
  const app = start(['--require', '@dyntel/register', 'markup-breaker.cjs'], {
    DYNTEL_LIVE_PORT: String(livePort),
    DYNTEL_LIVE_HOST: '127.0.0.1',
    OTEL_TRACES_EXPORTER: 'none',
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_LOGS_EXPORTER: 'none',
    DYNTEL_AUTO_INSTRUMENTATIONS: 'false',
  }, FIXTURES);
  const url = await liveViewUrl(app.stderr, app.child);
  const { page, dialogs } = await openPage(url);
  const name = page.locator('#breakers tbody td.name');
  await name.first().waitFor();
  await expect(name.allTextContents()).resolves.toEqual([MARKUP]);
  // No element was made from the name: the page's own markup has no image at all.
  await expect(page.locator('img').count()).resolves.toBe(0);
  expect(dialogs).toEqual([]);
  await page.close();
}, 60_000);
