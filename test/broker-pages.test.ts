import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  engines,
  postgresSkipReason,
  startBroker,
  type RunningBroker,
} from '../packages/broker/src/__fixtures__/engines.js';
import { call } from '../packages/broker/src/__fixtures__/pact-cli.js';
import {
  HOSTILE,
  decision,
  hostilePact,
  hostileVerification,
} from '../packages/broker/src/pages/__fixtures__/hostile.js';
import { fillBrokerByRealFlow, type FilledBroker } from './support/broker-flow.js';
import {
  chromiumAvailable,
  computedStyle,
  distinctColours,
  expectNoScriptRan,
  horizontalOverflow,
  launchChromium,
  seriousAccessibilityViolations,
  visit,
  type Chromium,
} from './support/browser.js';

/**
 * The broker's pages in a real browser, on every engine, over a broker filled by the example
 * system's real flow (stock `pact broker publish`, `cutover verify --publish`, `cutover gate`).
 *
 * `CUTOVER_UPDATE_SCREENSHOTS=1 npx vitest run test/broker-pages.test.ts` also writes the README's
 * screenshot of the migration board (from the SQLite broker).
 */
const available = chromiumAvailable();
if (postgresSkipReason) console.warn(postgresSkipReason);
const SCREENSHOT = fileURLToPath(new URL('../packages/broker/docs/migration-board.png', import.meta.url));
const PHONE = { width: 390, height: 844 };

describe.skipIf(!available)('the broker pages in Chromium', { timeout: 60_000 }, () => {
  const filled = new Map<string, FilledBroker>();
  let chromium: Chromium;

  // The flow runs a dozen CLI processes per engine; the engines are filled at once, each with its own services.
  beforeAll(async () => {
    const results = await Promise.allSettled(engines.map((e) => fillBrokerByRealFlow(e)));
    for (const r of results) if (r.status === 'fulfilled') filled.set(r.value.engine, r.value);
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    chromium = await launchChromium();
  }, 300_000);
  afterAll(async () => {
    await chromium?.close();
    await Promise.all([...filled.values()].map((b) => b.stop()));
  });

  describe.each(engines)('filled by the real flow ($name)', (engine) => {
    const broker = () => filled.get(engine.name)!;
    const open = (path: string, viewport?: { width: number; height: number }) =>
      visit(chromium.context, `${broker().url}${path}`, viewport);

    it('shows every gated route on the board: owner, weight bar, parity, schema, latest decision with reasons, timeline; no serious accessibility violation', async () => {
      const v = await open('/ui/board');
      const { page } = v;
      expect(await page.locator('#board tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.route))).toEqual([
        'tracking',
        'tracking-eta',
        'tracking-events',
      ]);
      // The leaking candidate 1.1.0: rolled back from 10 % to 0 %, parity and schema broken by the e-mail field.
      const tracking = page.locator('tr[data-route="tracking"]');
      expect(await tracking.textContent()).toMatch(
        /GET \/api\/tracking\/\*[\s\S]*monolith[\s\S]*10% → 0%[\s\S]*differs[\s\S]*regression[\s\S]*rolled back[\s\S]*candidate\s+1\.1\.0[\s\S]*parity-differs[\s\S]*\$\.customerEmail/,
      );
      expect(await tracking.locator('svg.bar rect.fill').getAttribute('width')).toBe('0');
      expect(await tracking.locator('svg.bar rect.back').getAttribute('width')).toBe('16');
      // 0 → 1 and 1 → 10 allowed, then rolled back to 0: three points, the last one red.
      expect(await tracking.locator('svg.timeline circle').count()).toBe(3);
      expect(await tracking.locator('svg.timeline circle').last().getAttribute('class')).toBe('blocked');
      expect(await tracking.locator('svg.timeline').getAttribute('aria-label')).toBe(
        'weight over 3 decisions: 1%, 10%, 0%',
      );
      // The two routes the leak does not touch hold at 10 % in a run that rolls one back.
      const events = page.locator('tr[data-route="tracking-events"]');
      expect(await events.textContent()).toMatch(
        /split[\s\S]*10%[\s\S]*identical[\s\S]*valid[\s\S]*allowed[\s\S]*held at 10%/,
      );
      expect(await events.locator('svg.bar rect.next').count()).toBe(0);
      // The monolith's own timestamps differ between two samples: noise, not a regression.
      expect(await page.locator('tr[data-route="tracking-eta"]').textContent()).toMatch(
        /noise-only[\s\S]*allowed[\s\S]*accepted as noise \(\$\.generatedAt\)/,
      );
      await expectNoScriptRan(v);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);

      const shot = await page.screenshot({ fullPage: true });
      expect(await distinctColours(chromium.context, shot)).toBeGreaterThan(8);
      for (const region of ['#board', 'tr[data-route="tracking"] svg.timeline', 'tr[data-route="tracking"] svg.bar'])
        expect((await page.locator(region).boundingBox())?.height, region).toBeGreaterThan(10);
      if (process.env.CUTOVER_UPDATE_SCREENSHOTS === '1' && engine.name === 'sqlite') writeFileSync(SCREENSHOT, shot);
      await page.close();
    });

    it("keeps the board's reasons short and links to the route's page, which lists every decision and reason in full", async () => {
      const { page } = await open('/ui/board');
      const tracking = page.locator('tr[data-route="tracking"]');
      expect(await tracking.locator('ul.reasons li:has(code)').count()).toBe(2);
      const more = tracking.locator('ul.reasons a', { hasText: /^and \d+ more$/ });
      await more.click();
      await page.waitForURL(`${broker().url}/ui/board/routes/tracking`);
      const rows = page.locator('main table tbody tr');
      expect(await rows.count()).toBe(3);
      expect(await rows.first().textContent()).toMatch(/rolled back[\s\S]*10% → 0%[\s\S]*1\.1\.0/);
      expect(await rows.last().textContent()).toMatch(/allowed[\s\S]*0% → 1%[\s\S]*1\.0\.0/);
      const reasons = await rows.first().locator('ul.reasons li').allTextContents();
      expect(reasons.some((r) => r.includes('schema-regression'))).toBe(true);
      expect(reasons.filter((r) => r.includes('carol@shop.example')).length).toBeGreaterThan(1);
      await page.close();
    });

    it("shows the failed verification's monolith and candidate answers side by side, the leak highlighted and the sampled noise marked; no serious accessibility violation", async () => {
      const v = await open(broker().pages.failedVerification);
      const { page } = v;
      expect(await page.locator('h1').textContent()).toBe("Verification of web-app's pact by logistics");
      const differs = page.locator('table.diff tr.differs').first();
      expect(await differs.locator('td').first().textContent()).toBe('$.customerEmail');
      expect(await differs.locator('td.monolith').textContent()).toBe('(absent)');
      expect(await differs.locator('td.candidate').textContent()).toBe('carol@shop.example');
      expect(await computedStyle(differs.locator('td.candidate'), 'background-color')).toBe('rgb(255, 241, 194)');
      expect(await computedStyle(differs.locator('td.monolith'), 'background-color')).not.toBe('rgb(255, 241, 194)');
      const noise = page.locator('table.diff tr.noise', { hasText: '$.generatedAt' }).first();
      expect(await noise.textContent()).toContain('noise (sampled)');
      expect(await computedStyle(noise, 'color')).toBe('rgb(87, 96, 106)');
      await expectNoScriptRan(v);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      const table = page.locator('table.diff').first();
      expect(await distinctColours(chromium.context, await table.screenshot())).toBeGreaterThan(4);
      await page.close();
    });

    it('lists the integrations with the network picture, branches, verifications per target and can-i-deploy per environment, linking to the drill-down', async () => {
      const { page } = await open('/ui');
      expect((await page.locator('svg.graph text title').allTextContents()).sort()).toEqual([
        'billing-portal',
        'invoicing',
        'logistics',
        'mobile-app',
        'notifier',
        'shipment-events',
        'warehouse',
        'web-app',
      ]);
      expect(await page.locator('svg.graph line').count()).toBe(5);
      const row = page.locator('tbody tr', { hasText: 'web-app → logistics' });
      expect(await row.textContent()).toMatch(
        /1\.0\.0\s+on main[\s\S]*failed\s+by 1\.1\.0[\s\S]*monolith:\s*pass[\s\S]*candidate:\s*pass/,
      );
      const header = await page.locator('thead th').allTextContents();
      const deploy = await row.locator('td').allTextContents();
      // Logistics 1.0.0 verified web-app's pact and is deployed to staging; nothing is in production.
      expect(deploy[header.indexOf('can-i-deploy to staging') - 1]?.trim()).toBe('yes');
      expect(deploy[header.indexOf('can-i-deploy to production') - 1]?.trim()).toBe('unverified');
      expect(await page.locator('tbody tr', { hasText: 'warehouse → shipment-events' }).textContent()).toMatch(
        /2\.0\.0\s+on feat\/bins[\s\S]*not verified/,
      );
      await row.locator('a', { hasText: 'failed' }).click();
      await page.waitForURL(`${broker().url}${broker().pages.failedVerification}`);
      await page.close();
    });

    it('renders V2, V3-message and V4 pacts (HTTP, asynchronous and synchronous messages) readably', async () => {
      const text = async (path: string) => {
        const { page } = await open(path);
        const t = (await page.locator('main').innerText()).replace(/\s+/g, ' ');
        await page.close();
        return t;
      };
      expect(await text(broker().pages.v4Pact)).toMatch(
        /Pact specification 4\.0 · 4 interactions[\s\S]*a request for the tracking data of a shipment in transit Synchronous\/HTTP[\s\S]*GET \/api\/tracking\/SHP-1001/,
      );
      expect(await text(broker().pages.v2Pact)).toMatch(
        /Pact specification 2\.0\.0[\s\S]*Given .?invoice INV-7 exists[\s\S]*GET \/invoices\/INV-7\?expand=lines[\s\S]*status 200[\s\S]*"total": 129\.5/,
      );
      expect(await text(broker().pages.v3MessagePact)).toMatch(
        /Pact specification 3\.0\.0[\s\S]*a shipment delivered event Asynchronous\/Messages[\s\S]*"status": "delivered"[\s\S]*Metadata[\s\S]*"topic": "shipments\.delivered"/,
      );
      const v4Messages = await text(broker().pages.v4MessagePact);
      expect(v4Messages).toMatch(
        /a bin reservation Synchronous\/Messages Request message \{ "shipmentId": "SHP-1002" \} Response message \{ "bin": "A-17", "reserved": true \}/,
      );
      expect(v4Messages).toMatch(
        /a shipment picked event Asynchronous\/Messages[\s\S]*\{ "bin": "A-17", "shipmentId": "SHP-1002" \}/,
      );
      // The V4 body wrapper is the format's, not the message's.
      expect(v4Messages).not.toContain('"encoded"');
    });

    it('serves every link on the pages at a URL that opens the same page again (bookmarkable), the board filter included', async () => {
      const links = new Set<string>();
      for (const path of ['/ui', '/ui/board', '/ui/board/routes/tracking', broker().pages.failedVerification]) {
        const { page } = await open(path);
        for (const href of await page.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href')!)))
          links.add(new URL(href, broker().url).href);
        await page.close();
      }
      expect(links.size).toBeGreaterThan(10);
      for (const link of links) {
        expect(link.startsWith(broker().url), link).toBe(true);
        expect((await fetch(link)).status, link).toBe(200);
      }
      const { page } = await open('/ui/board');
      await page.fill('#board-filter', 'eta');
      await page.waitForURL(/\?q=eta$/);
      const shared = page.url();
      await page.close();
      const again = await visit(chromium.context, shared);
      expect(await again.page.locator('#board-filter').inputValue()).toBe('eta');
      expect(
        await again.page
          .locator('#board tbody tr:not([hidden])')
          .evaluateAll((rows) => rows.map((r) => r.dataset.route)),
      ).toEqual(['tracking-eta']);
      await again.page.close();
    });

    it('is readable at phone width: the board becomes one labelled card per route, and no page scrolls sideways', async () => {
      const { page } = await open('/ui/board', PHONE);
      expect(await horizontalOverflow(page)).toBe(0);
      const tracking = page.locator('tr[data-route="tracking"]');
      // The route name stays a word, not a column of letters.
      expect((await tracking.locator('th a').boundingBox())!.width).toBeGreaterThan(50);
      const owner = tracking.locator('td[data-label="Owner"]');
      expect(await owner.innerText()).toBe('monolith');
      expect(await computedStyle(owner, 'content', '::before')).toBe('"Owner"');
      expect((await tracking.locator('svg.timeline').boundingBox())!.width).toBeGreaterThan(100);
      const height = (await tracking.boundingBox())!.height;
      expect(height).toBeLessThan(PHONE.height * 1.5);
      await page.close();
      for (const path of ['/ui', broker().pages.failedVerification, broker().pages.v4MessagePact]) {
        const v = await open(path, PHONE);
        expect(await horizontalOverflow(v.page), path).toBe(0);
        await v.page.close();
      }
    });
  });

  // Hostile content is seeded over HTTP: a hostile candidate answer in the diff view and hostile
  // route names and reasons on the board cannot come out of the example services and policy, which
  // answer and name only what they are; the hostile pact is stored the same way so one broker holds
  // the whole set.
  describe.each(engines)('with hostile content ($name)', (engine) => {
    let running: RunningBroker;
    let verificationPath: string;
    const pactPath = `/ui/pacts/provider/${encodeURIComponent(HOSTILE.provider)}/consumer/${encodeURIComponent(HOSTILE.consumer)}/version/1.0.0`;
    beforeAll(async () => {
      running = await startBroker(engine);
      const url = running.url;
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
      await call(
        url,
        'POST',
        '/cutover/decisions',
        decision('2026-01-02T10:00:00Z', 1, 1, 'blocked', [{ code: 'parity-differs', message: HOSTILE.text }]),
      );
    });
    afterAll(async () => running?.stop());
    const open = (path: string) => visit(chromium.context, `${running.url}${path}`);

    it('shows hostile names, descriptions, headers, bodies and reasons as text on every page, running nothing', async () => {
      for (const path of [
        pactPath,
        verificationPath,
        '/ui',
        '/ui/board',
        '/ui/board/routes/tracking',
        '/ui/webhooks',
      ]) {
        const v = await open(path);
        await expectNoScriptRan(v);
        await v.page.close();
      }
      const v = await open(pactPath);
      const text = await v.page.locator('main').textContent();
      expect(text).toContain('<script>window.__pwned=3</script>');
      expect(text).toContain('🚀');
      // The RTL override is shown as an escape, so it cannot reorder what follows.
      expect(text).toContain('\\u202e');
      expect(text).toContain('Asynchronous/Messages');
      expect(await v.page.locator('a[href^="javascript:"]').count()).toBe(0);
      await v.page.close();
      const board = await open('/ui/board');
      expect(await board.page.locator('#board').textContent()).toContain('<script>window.__pwned=3</script>');
      expect(await board.page.locator('a[href^="javascript:"]').count()).toBe(0);
      await board.page.close();
    });

    it('shows a hostile candidate answer in the diff view as highlighted text, running nothing', async () => {
      const v = await open(verificationPath);
      const differs = v.page.locator('table.diff tr.differs');
      expect(await differs.locator('td').first().textContent()).toBe('$.email');
      expect(await differs.locator('td.candidate').textContent()).toContain('<script>window.__pwned=3</script>');
      await expectNoScriptRan(v);
      expect(await seriousAccessibilityViolations(v.page)).toEqual([]);
      await v.page.close();
    });
  });
});
