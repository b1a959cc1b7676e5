import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, startBroker, type RunningBroker } from '../__fixtures__/engines.js';
import { call } from '../__fixtures__/pact-cli.js';
import { HOSTILE, hostilePact, hostileVerification, decision } from './__fixtures__/hostile.js';

async function page(url: string, path: string) {
  const res = await fetch(`${url}${path}`);
  return { status: res.status, headers: res.headers, html: await res.text() };
}

describe.each(engines)('pages on $name', (engine) => {
  let running: RunningBroker;
  let url: string;
  let verificationPath: string;
  beforeAll(async () => {
    running = await startBroker(engine);
    url = running.url;
    const put = await call(
      url,
      'PUT',
      `/pacts/provider/${encodeURIComponent(HOSTILE.provider)}/consumer/${encodeURIComponent(HOSTILE.consumer)}/version/1.0.0`,
      hostilePact(),
    );
    expect(put.status).toBe(201);
    const published = await call(
      url,
      'POST',
      `${new URL(put.body._links['pb:publish-verification-results'].href).pathname}`,
      hostileVerification(),
    );
    expect(published.status).toBe(201);
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

  it('serves the board with each route, its owner, weight, parity, latest decision and reasons, under a CSP without inline script', async () => {
    const board = await page(url, '/ui/board');
    expect(board.status).toBe(200);
    expect(board.headers.get('content-type')).toBe('text/html;charset=utf-8');
    const csp = board.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(board.html).toContain('<script src="/ui/assets/cutover.js" defer></script>');
    expect(board.html).not.toMatch(/<script>|<img/i);
    expect(board.html).toContain('tracking');
    expect(board.html).toMatch(/class="pill info">split</);
    expect(board.html).toMatch(/class="pill bad">differs</);
    expect(board.html).toContain('parity-differs');
    expect(board.html).toContain('&lt;script&gt;');
    expect(board.html).toContain('aria-label="weight over 2 decisions: 1% (unchanged)"');
    const route = await page(url, '/ui/board/routes/tracking');
    expect(route.status).toBe(200);
    expect(route.html).toMatch(/<h1>\s*Route tracking/);
    expect((await page(url, '/ui/board/routes/nothing')).status).toBe(404);
  });

  it('renders a V4 pact with HTTP and message interactions, hostile text escaped', async () => {
    const p = await page(
      url,
      `/ui/pacts/provider/${encodeURIComponent(HOSTILE.provider)}/consumer/${encodeURIComponent(HOSTILE.consumer)}/version/1.0.0`,
    );
    expect(p.status).toBe(200);
    expect(p.html).toContain('Pact specification 4.0');
    expect(p.html).toContain('Synchronous/HTTP');
    expect(p.html).toContain('Asynchronous/Messages');
    expect(p.html).not.toContain('<img src=x');
    expect(p.html).toContain('&quot;&gt;&lt;img src=x onerror=');
  });

  it('shows a failed verification with the monolith and the candidate side by side, noise marked', async () => {
    const v = await page(url, verificationPath);
    expect(v.status).toBe(200);
    expect(v.html).toMatch(/<tr class="differs">\s*<td><code>\$\.email<\/code>/);
    expect(v.html).toMatch(
      /<tr class="noise">\s*<td><code>\$\.generatedAt<\/code><\/td>\s*<td><span class="pill none">noise \(sampled\)/,
    );
  });

  it('lists integrations with a network graph, and webhooks with their (masked) requests', async () => {
    const i = await page(url, '/ui');
    expect(i.html).toMatch(/<svg\s+class="graph"/);
    expect(i.html).toMatch(/pill bad">failed/);
    const assets = await fetch(`${url}/ui/assets/cutover.css`);
    expect(assets.headers.get('content-type')).toBe('text/css;charset=utf-8');
  });
});
