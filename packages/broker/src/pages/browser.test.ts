import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, startBroker, type RunningBroker } from '../__fixtures__/engines.js';
import { call } from '../__fixtures__/pact-cli.js';
import { HOSTILE, decision, hostilePact, hostileVerification } from './__fixtures__/hostile.js';

const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && process.env.CI === 'true')
  throw new Error(
    `CI=true but ${CHROMIUM} is missing: the browser tests must run in CI (.ci/run installs Debian's chromium)`,
  );
if (!available)
  console.warn(`browser tests skipped: ${CHROMIUM} is missing (apt-get install chromium, or run .ci/run)`);

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Counts the distinct colours of a PNG by drawing it on a canvas in the browser: a blank shot has one or two. */
async function distinctColours(context: BrowserContext, png: Buffer): Promise<number> {
  const page = await context.newPage();
  try {
    // Page code is a string: it runs in Chromium, and this file type-checks against Node, not the DOM.
    return (await page.evaluate(`(async () => {
      const img = new Image();
      img.src = 'data:image/png;base64,${png.toString('base64')}';
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.width;
      canvas.height = img.height;
      const g = canvas.getContext('2d');
      g.drawImage(img, 0, 0);
      const px = g.getImageData(0, 0, img.width, img.height).data;
      const seen = new Set();
      for (let i = 0; i < px.length && seen.size < 50; i += 4 * 7) seen.add((px[i] << 16) | (px[i + 1] << 8) | px[i + 2]);
      return seen.size;
    })()`)) as number;
  } finally {
    await page.close();
  }
}

interface Visit {
  page: Page;
  dialogs: string[];
  blocked: string[];
}

describe.skipIf(!available).each(engines.slice(0, 1))('the pages in Chromium ($name)', (engine) => {
  let running: RunningBroker;
  let url: string;
  let context: BrowserContext;
  let profile: string;
  let verificationPath: string;
  const pactPath = `/ui/pacts/provider/${encodeURIComponent(HOSTILE.provider)}/consumer/${encodeURIComponent(HOSTILE.consumer)}/version/1.0.0`;

  beforeAll(async () => {
    running = await startBroker(engine);
    url = running.url;
    const put = await call(
      url,
      'PUT',
      `/pacts/provider/${encodeURIComponent(HOSTILE.provider)}/consumer/${encodeURIComponent(HOSTILE.consumer)}/version/1.0.0`,
      hostilePact(),
    );
    const published = await call(
      url,
      'POST',
      new URL(put.body._links['pb:publish-verification-results'].href).pathname,
      hostileVerification(),
    );
    verificationPath = `/ui${new URL(published.body._links.self.href).pathname}`;
    await call(url, 'POST', '/cutover/decisions', decision('2026-01-01T10:00:00Z', 0, 1, 'allowed', []));
    await call(url, 'POST', '/cutover/decisions', decision('2026-01-02T10:00:00Z', 1, 5, 'allowed', []));
    await call(
      url,
      'POST',
      '/cutover/decisions',
      decision('2026-01-03T10:00:00Z', 5, 5, 'blocked', [{ code: 'parity-differs', message: 'the e-mail leaks' }]),
    );
    profile = mkdtempSync(join(tmpdir(), 'cutover-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 900 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 60_000);
  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await running?.stop();
  });

  async function visit(path: string): Promise<Visit> {
    const page = await context.newPage();
    const dialogs: string[] = [];
    const blocked: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) blocked.push(m.text());
    });
    const res = await page.goto(`${url}${path}`, { waitUntil: 'load' });
    expect(res?.status(), path).toBe(200);
    return { page, dialogs, blocked };
  }

  async function noScriptRan(v: Visit) {
    expect(v.dialogs).toEqual([]);
    expect(await v.page.evaluate('window.__pwned')).toBeUndefined();
    expect(await v.page.locator('img[src=x], script:not([src])').count()).toBe(0);
  }

  async function axe(page: Page) {
    await page.evaluate(axeSource);
    const result = (await page.evaluate("axe.run(document, { resultTypes: ['violations'] })")) as {
      violations: { id: string; impact: string; help: string; nodes: unknown[] }[];
    };
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  }

  it('shows the migration board: routes, owner, weight, parity, reasons and the timeline; no serious accessibility violation', async () => {
    const v = await visit('/ui/board');
    const row = v.page.locator('tr[data-route="tracking"]');
    await expect(row.locator('th a').textContent()).resolves.toBe('tracking');
    expect(await row.textContent()).toMatch(/split[\s\S]*5%[\s\S]*differs[\s\S]*blocked[\s\S]*the e-mail leaks/);
    expect(await row.locator('svg.timeline circle').count()).toBe(3);
    expect(await row.locator('svg.bar rect.fill').getAttribute('width')).toBe('8');
    await noScriptRan(v);
    expect(await axe(v.page)).toEqual([]);
    const shot = await v.page.screenshot({ fullPage: true });
    expect(await distinctColours(context, shot)).toBeGreaterThan(8);
    // The filter narrows the rows and keeps the query in the URL, so a filtered board can be shared.
    await v.page.fill('#board-filter', 'tracking');
    await v.page.waitForURL(/q=tracking/, { timeout: 5_000 });
    expect(await v.page.locator('#board tbody tr:not([hidden])').count()).toBe(1);
    await v.page.close();
  });

  it('shows the failed verification side by side with the differences highlighted and the noise marked; no serious accessibility violation', async () => {
    const v = await visit(verificationPath);
    const differs = v.page.locator('table.diff tr.differs');
    expect(await differs.locator('td').first().textContent()).toBe('$.email');
    expect(await differs.locator('td.candidate').textContent()).toContain('<script>window.__pwned=3</script>');
    const background = await v.page.evaluate(
      "getComputedStyle(document.querySelector('table.diff tr.differs td.candidate')).backgroundColor",
    );
    expect(background).toBe('rgb(255, 241, 194)');
    expect(await v.page.locator('table.diff tr.noise').textContent()).toContain('noise (sampled)');
    await noScriptRan(v);
    expect(await axe(v.page)).toEqual([]);
    const shot = await v.page.locator('table.diff').screenshot();
    expect(await distinctColours(context, shot)).toBeGreaterThan(4);
    await v.page.close();
  });

  it('shows hostile names, descriptions, headers and bodies as text in the pact and integrations pages, running nothing', async () => {
    for (const path of [pactPath, '/ui', '/ui/board/routes/tracking', '/ui/webhooks']) {
      const v = await visit(path);
      await noScriptRan(v);
      await v.page.close();
    }
    const v = await visit(pactPath);
    const text = await v.page.locator('main').textContent();
    expect(text).toContain('<script>window.__pwned=3</script>');
    expect(text).toContain('🚀');
    // The RTL override is shown as an escape, so it cannot reorder what follows.
    expect(text).toContain('\\u202e');
    expect(text).toContain('Asynchronous/Messages');
    expect(await v.page.locator('a[href^="javascript:"]').count()).toBe(0);
    await v.page.close();
  });
});
