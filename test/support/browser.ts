/*
 * Debian's chromium driven by playwright-core, for the broker's pages: what a person sees, whether
 * any script from outside ran, and axe-core's accessibility check in the page.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const CHROMIUM = '/usr/bin/chromium';

/**
 * Whether the browser tests can run. Without chromium a developer's run skips them with the
 * reason; under CI=true they must run, so a missing browser fails the file.
 */
export function chromiumAvailable(): boolean {
  const available = existsSync(CHROMIUM);
  if (!available && process.env.CI === 'true')
    throw new Error(
      `CI=true but ${CHROMIUM} is missing: the browser tests must run in CI (.ci/run installs Debian's chromium)`,
    );
  if (!available)
    console.warn(`browser tests skipped: ${CHROMIUM} is missing (apt-get install chromium, or run .ci/run)`);
  return available;
}

export interface Chromium {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A headless chromium with a throwaway profile, nothing reaching the network on its own. */
export async function launchChromium(viewport = { width: 1280, height: 900 }): Promise<Chromium> {
  const profile = mkdtempSync(join(tmpdir(), 'cutover-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
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
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface Visit {
  page: Page;
  /** Messages of the dialogs a script opened (dismissed at once). */
  dialogs: string[];
}

/** Opens `url` in a new page of `context`, expecting 200, and watches for dialogs. */
export async function visit(
  context: BrowserContext,
  url: string,
  viewport?: { width: number; height: number },
): Promise<Visit> {
  const page = await context.newPage();
  if (viewport) await page.setViewportSize(viewport);
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const res = await page.goto(url, { waitUntil: 'load' });
  expect(res?.status(), url).toBe(200);
  return { page, dialogs };
}

/** No dialog opened, none of the hostile payloads set `window.__pwned`, no injected element exists. */
export async function expectNoScriptRan(v: Visit): Promise<void> {
  expect(v.dialogs).toEqual([]);
  expect(await v.page.evaluate('window.__pwned')).toBeUndefined();
  expect(await v.page.locator('img[src=x], script:not([src])').count()).toBe(0);
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical violations on the page (ids and the first offending markup). */
export async function seriousAccessibilityViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const result = (await page.evaluate("axe.run(document, { resultTypes: ['violations'] })")) as {
    violations: { id: string; impact: string; nodes: { html: string }[] }[];
  };
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes[0]?.html ?? ''}`);
}

/** Counts the distinct colours of a PNG by drawing it on a canvas in the browser: a blank shot has one or two. */
export async function distinctColours(context: BrowserContext, png: Buffer): Promise<number> {
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

/** How far the page is wider than its viewport (0 when nothing makes a person scroll sideways). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return (await page.evaluate(
    'document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth',
  )) as number;
}

/** One computed style property of the element `locator` finds (as the browser draws it). */
export function computedStyle(locator: Locator, property: string, pseudo?: '::before' | '::after'): Promise<string> {
  return locator.evaluate(
    (element, [name, pseudoElement]) =>
      // Runs in the browser; this file type-checks against Node's types, not the DOM's.
      (
        globalThis as unknown as {
          getComputedStyle(e: unknown, p: string | null): { getPropertyValue(n: string): string };
        }
      )
        .getComputedStyle(element, pseudoElement)
        .getPropertyValue(name!),
    [property, pseudo ?? null] as const,
  );
}
