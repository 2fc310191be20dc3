/**
 * The web dashboard end to end: the app as `vite build` makes it, served by a real `patchcast serve`
 * on the prepared demo store, driven in Debian's Chromium through playwright-core (never a browser
 * download). One browser for the file; each role signs in in its own context, as a person would.
 * Without /usr/bin/chromium the file skips with a message, except in CI (`CI=true`), where it fails.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../support/cli.js';
import { runPatchcastInProcess } from '../support/cli-in-process.js';
import { copyDemoStore } from '../support/demo-store.js';

const CHROMIUM = '/usr/bin/chromium';
/** How long to wait for the page to show what the API answered: generous, as the machine is shared and busy. */
const WAIT_MS = 60_000;
const POLL = { timeout: WAIT_MS, interval: 100 };
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  if (process.env.CI === 'true')
    throw new Error(`${CHROMIUM} is missing: .ci/run installs the chromium package`);
  console.warn(`test/web/dashboard.spec.ts skipped: no ${CHROMIUM} (apt-get install chromium)`);
}

let work: string;
let server: ChildProcess | undefined;
let url: string;
let browser: Browser | undefined;
const tokens: Record<'viewer' | 'approver', string> = { viewer: '', approver: '' };

/**
 * `vite build` of web/ into `outDir` (the CLI, as scripts/build.ts runs it: a production build, not
 * the test run's NODE_ENV), so the test runs the app of these sources, not a stale dist/web.
 */
async function buildWeb(outDir: string): Promise<void> {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const { NODE_ENV: _, ...env } = process.env;
  const child = spawn(
    process.execPath,
    [
      join(root, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      join(root, 'web/vite.config.ts'),
      '--outDir',
      outDir,
      '--emptyOutDir',
      '--logLevel',
      'warn',
    ],
    { env, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let err = '';
  child.stderr?.on('data', (c) => (err += c));
  const code = await new Promise((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`vite build of web/ failed (${code}): ${err}`);
}

async function createToken(home: string, role: 'viewer' | 'approver'): Promise<string> {
  const result = await runPatchcastInProcess(
    ['tokens', 'create', '--name', `web-${role}`, '--role', role, '--json'],
    {
      home,
    },
  );
  if (result.code !== 0) throw new Error(`tokens create failed: ${result.stderr}`);
  return (JSON.parse(result.stdout) as { token: string }).token;
}

/** `patchcast serve --port 0` on the store; resolves with the URL it logs once listening. */
function startServe(home: string, webRoot: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], {
    cwd: work,
    env: {
      ...process.env,
      PATCHCAST_HOME: home,
      PATCHCAST_DATABASE_URL: '',
      PATCHCAST_CONFIG: '',
      PATCHCAST_FROM_SOURCE: '1',
      PATCHCAST_WEB_ROOT: webRoot,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (c) => (err += c));
    child.stdout?.on('data', (chunk) => {
      out += chunk;
      const match = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(out);
      if (match) resolve({ child, url: match[1] as string });
    });
    child.on('exit', (code) => reject(new Error(`patchcast serve exited ${code}: ${err}${out}`)));
  });
}

/** WCAG 2.x contrast ratio of two CSS `rgb(…)` colours. */
function getContrast(foreground: string, background: string): number {
  const luminance = (css: string) => {
    const [r, g, b] = (css.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [a, b] = [luminance(foreground), luminance(background)];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}

async function signIn(role: 'viewer' | 'approver', path = '/'): Promise<Page> {
  if (!browser) throw new Error('no browser');
  const context = await browser.newContext({ timezoneId: 'Europe/Berlin', locale: 'en-GB' });
  context.setDefaultTimeout(WAIT_MS);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(`${m.text()} (${m.location().url})`));
  await page.goto(url + path);
  await page.getByLabel('API token').fill(tokens[role]);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('role').filter({ hasText: role }).waitFor();
  (page as Page & { errors: string[] }).errors = errors;
  return page;
}

describe.skipIf(!hasChromium)('the web dashboard in Chromium', () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'patchcast-web-'));
    const home = join(work, '.patchcast');
    const webRoot = join(work, 'web');
    await Promise.all([buildWeb(webRoot), copyDemoStore(home)]);
    tokens.viewer = await createToken(home, 'viewer');
    tokens.approver = await createToken(home, 'approver');
    const started = await startServe(home, webRoot);
    server = started.child;
    url = started.url;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });

  afterAll(async () => {
    await browser?.close();
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server?.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('sends a deep link to sign-in, then back to it; the overview shows the KPIs', async () => {
    const page = await signIn('viewer');
    expect(new URL(page.url()).pathname).toBe('/');
    await expect.poll(() => page.getByTestId('kpi-Open findings').textContent(), POLL).toMatch(/^[\d,.]+$/);
    const open = await page.getByTestId('kpi-Open findings').textContent();
    expect(Number(open?.replace(/\D/g, ''))).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('kpi-SLA breaches').textContent(), POLL).toMatch(/^[\d,.]+$/);
    expect((page as Page & { errors: string[] }).errors.join('\n')).toBe('');
    await page.context().close();
  });

  it('keeps text at WCAG AA contrast in the light and the dark theme', async () => {
    const page = await signIn('viewer');
    for (const scheme of ['light', 'dark'] as const) {
      // The page's own computed colours (run in the page, as text: this file is typed without the DOM).
      const colors = (await page.evaluate(`(() => {
        document.documentElement.setAttribute('data-mantine-color-scheme', '${scheme}');
        const probe = document.createElement('div');
        document.body.append(probe);
        probe.style.background = 'var(--mantine-color-body)';
        const read = (variable) => {
          probe.style.color = 'var(' + variable + ')';
          return getComputedStyle(probe).color;
        };
        const out = {
          background: getComputedStyle(probe).backgroundColor,
          text: read('--mantine-color-text'),
          dimmed: read('--mantine-color-dimmed'),
          link: read('--mantine-color-anchor'),
        };
        probe.remove();
        return out;
      })()`)) as Record<'background' | 'text' | 'dimmed' | 'link', string>;
      const { background, ...texts } = colors;
      for (const [what, color] of Object.entries(texts))
        expect(
          getContrast(color, background),
          `${scheme} ${what} ${color} on ${background}`,
        ).toBeGreaterThanOrEqual(4.5);
    }
    await page.context().close();
  });

  it('finds the top finding, explains it, and its contributions add up to the risk shown', async () => {
    const page = await signIn('viewer', '/findings?sort=risk');
    expect(new URL(page.url()).pathname).toBe('/findings');
    const first = page.getByTestId('finding-row').first();
    await first.waitFor();
    // The top row is the API's top finding (highest risk first).
    const top = (await (
      await fetch(`${url}/api/v1/findings?sort=risk&limit=1`, {
        headers: { authorization: `Bearer ${tokens.viewer}` },
      })
    ).json()) as { findings: Array<{ id: string; vulnerabilityId: string; assetId: string; risk: number }> };
    const best = top.findings[0];
    if (!best) throw new Error('the demo store has no finding');
    await expect.poll(() => first.textContent(), POLL).toContain(best.vulnerabilityId);
    expect(await first.getByTestId('row-risk').textContent()).toBe(best.risk.toFixed(3));

    await first.getByRole('button', { name: /^Explain/ }).click();
    expect(new URL(page.url()).searchParams.get('finding')).toBe(best.id);
    const shown = page.getByTestId('explanation-risk');
    await shown.waitFor();
    const risk = Number(await shown.textContent());
    const values = await page
      .getByTestId('contribution')
      .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-value'))));
    expect(values.length).toBeGreaterThan(1);
    const sum = values.reduce((a, b) => a + b, 0);
    expect(Math.abs(sum - risk)).toBeLessThanOrEqual(0.0005);
    expect(await page.getByTestId('contribution-sum').textContent()).toBe(risk.toFixed(3));
    expect(await page.getByTestId('epss').textContent()).toBeTruthy();
    expect(await page.getByTestId('sla-rule').textContent()).toMatch(/^Rule \S+: ./);
    // Escape closes the drawer (keyboard) and the URL forgets it.
    await page.keyboard.press('Escape');
    await expect.poll(() => new URL(page.url()).searchParams.get('finding'), POLL).toBeNull();
    expect((page as Page & { errors: string[] }).errors.join('\n')).toBe('');
    await page.context().close();
  });

  it('lists the open patches, the one removing the most risk first', async () => {
    const page = await signIn('viewer', '/findings?view=patches');
    const first = page.getByTestId('patch-row').first();
    await first.waitFor();
    const api = (await (
      await fetch(`${url}/api/v1/patches?limit=1`, { headers: { authorization: `Bearer ${tokens.viewer}` } })
    ).json()) as { patches: Array<{ asset: string; package: string; riskRemoved: number }> };
    const top = api.patches[0];
    if (!top) throw new Error('the demo store has no open patch');
    const cells = await first.locator('td').allTextContents();
    expect(cells.slice(0, 3)).toEqual([top.riskRemoved.toFixed(3), top.asset, top.package]);
    // Back to the findings by keyboard: the control is a radio group, moved with the arrow keys.
    await page.getByRole('radio', { name: 'Patches' }).focus();
    await page.keyboard.press('ArrowLeft');
    await page.getByTestId('finding-row').first().waitFor();
    expect(new URL(page.url()).searchParams.get('view')).toBeNull();
    expect((page as Page & { errors: string[] }).errors.join('\n')).toBe('');
    await page.context().close();
  });

  it('offers an exception request to an approver and not to a viewer', async () => {
    const top = (await (
      await fetch(`${url}/api/v1/findings?sort=risk&limit=1&status=open`, {
        headers: { authorization: `Bearer ${tokens.viewer}` },
      })
    ).json()) as { findings: Array<{ id: string }> };
    const deepLink = `/findings?status=open&finding=${top.findings[0]?.id}`;
    const viewer = await signIn('viewer', deepLink);
    await viewer.getByTestId('explanation-risk').waitFor();
    expect(await viewer.getByRole('button', { name: 'Request an exception' }).count()).toBe(0);
    await viewer.context().close();

    const approver = await signIn('approver', deepLink);
    await approver.getByTestId('explanation-risk').waitFor();
    await approver.getByRole('button', { name: 'Request an exception' }).waitFor();
    await approver.context().close();
  });

  it('opens the vulnerability and asset pages by deep link', async () => {
    const page = await signIn('viewer', '/findings');
    const first = page.getByTestId('finding-row').first();
    await first.waitFor();
    const vulnerability = await first.getByRole('link').first().textContent();
    await first.getByRole('link').first().click();
    await page.getByRole('heading', { level: 2, name: vulnerability ?? '' }).waitFor();
    await page.getByText(/^Findings \(\d+\)$/).waitFor();
    const asset = await page.locator('tbody a[href^="/assets/"]').first().textContent();
    await page.goto(`${url}/assets/${encodeURIComponent(asset ?? '')}`);
    await page.getByRole('heading', { level: 2, name: `Asset ${asset}` }).waitFor();
    expect((page as Page & { errors: string[] }).errors.join('\n')).toBe('');
    await page.context().close();
  });
});
