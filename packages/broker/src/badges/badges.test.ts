import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, startBroker, type RunningBroker } from '../__fixtures__/engines.js';
import { call } from '../__fixtures__/pact-cli.js';

const pact = (consumer: string, provider: string) => ({
  consumer: { name: consumer },
  provider: { name: provider },
  interactions: [{ description: 'a request', request: { method: 'GET', path: '/x' }, response: { status: 200 } }],
  metadata: { pactSpecification: { version: '2.0.0' } },
});

async function badge(url: string, path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}${path}`, { headers });
  return { status: res.status, headers: res.headers, svg: await res.text() };
}

/** The two texts of a badge, as a person reads them. */
const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

describe.each(engines)('badges on $name', (engine) => {
  let running: RunningBroker;
  let url: string;
  beforeAll(async () => {
    running = await startBroker(engine);
    url = running.url;
    const put = await call(
      url,
      'PUT',
      '/pacts/provider/Logistics/consumer/Web/version/1.0.0',
      pact('Web', 'Logistics'),
    );
    const sha = (put.body._links['pb:pact-version'].href as string).split('/').pop()!;
    const verify = (success: boolean, providerApplicationVersion: string) =>
      call(url, 'POST', `/pacts/provider/Logistics/consumer/Web/pact-version/${sha}/verification-results`, {
        success,
        providerApplicationVersion,
      });
    await verify(true, 'p1');
    await call(url, 'PUT', '/pacts/provider/Billing/consumer/Web/version/1.0.0', pact('Web', 'Billing'));
    const billing = await call(url, 'GET', '/pacts/provider/Billing/consumer/Web/latest');
    const billingSha = (billing.body._links['pb:pact-version'].href as string).split('/').pop()!;
    await call(url, 'POST', `/pacts/provider/Billing/consumer/Web/pact-version/${billingSha}/verification-results`, {
      success: false,
      providerApplicationVersion: 'b1',
    });
  });
  afterAll(async () => running?.stop());

  it('draws the Pact Broker pact badge: verified in green, failed in red, with caching headers', async () => {
    const ok = await badge(url, '/pacts/provider/Logistics/consumer/Web/latest/badge');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('image/svg+xml;charset=utf-8');
    expect(ok.headers.get('cache-control')).toBe('no-cache, max-age=0');
    expect(texts(ok.svg)).toEqual(['pact', 'verified']);
    expect(ok.svg).toContain('#2e7d32');
    const failed = await badge(url, '/pacts/provider/Billing/consumer/Web/latest/badge');
    expect(texts(failed.svg)).toEqual(['pact', 'failed']);
    const again = await badge(url, '/pacts/provider/Logistics/consumer/Web/latest/badge', {
      'if-none-match': ok.headers.get('etag')!,
    });
    expect(again.status).toBe(304);
  });

  it('answers unknown names, tags and over-long names with a grey "unknown" badge, not an error page', async () => {
    for (const path of [
      '/pacts/provider/Nobody/consumer/Web/latest/badge',
      '/pacts/provider/Logistics/consumer/Web/latest/prod/badge',
      `/pacts/provider/${'x'.repeat(300)}/consumer/Web/latest/badge`,
      '/pacticipants/Nobody/latest-version/can-i-deploy/to-environment/production/badge',
      '/cutover/routes/nothing/badge/weight',
    ]) {
      const b = await badge(url, path);
      expect(b.status, path).toBe(200);
      expect(texts(b.svg)[1], path).toBe('unknown');
      expect(b.svg).toContain('#5f6368');
    }
  });

  it('answers can-i-deploy per environment from the deployed provider versions', async () => {
    const env = await call(url, 'POST', '/environments', { name: 'production', production: true });
    expect(env.status).toBe(201);
    const path = '/pacticipants/Web/latest-version/can-i-deploy/to-environment/production/badge';
    // Nothing deployed yet: the pacts are not verified by anything in production.
    expect(texts((await badge(url, path)).svg)[1]).toBe('unverified (1.0.0)');
    for (const [provider, version] of [
      ['Logistics', 'p1'],
      ['Billing', 'b1'],
    ])
      await call(
        url,
        'POST',
        `/pacticipants/${provider}/versions/${version}/deployed-versions/environment/${env.body.uuid}`,
        {},
      );
    const no = await badge(url, path);
    expect(texts(no.svg)).toEqual(['can-i-deploy to production', 'no (1.0.0)']);
    expect(texts((await badge(url, `${path}?label=deploy`)).svg)[0]).toBe('deploy');
  });

  it("draws cutover's route badges from the latest gate decision: parity status and weight", async () => {
    const route = (name: string, nextWeight: number, reasons: { code: string; message: string }[]) => ({
      name,
      outcome: reasons.length ? 'blocked' : 'allowed',
      currentWeight: 0,
      nextWeight,
      interactions: 3,
      reasons,
      notes: [],
    });
    await call(url, 'POST', '/cutover/decisions', {
      format: 'cutover.gate-decision/v1',
      decidedAt: '2026-01-01T00:00:00Z',
      outcome: 'blocked',
      routes: [
        route('tracking', 5, []),
        route('<script>alert(1)</script>', 0, [{ code: 'parity-differs', message: 'differs' }]),
      ],
    });
    expect(texts((await badge(url, '/cutover/routes/tracking/badge/parity')).svg)).toEqual([
      'tracking parity',
      'identical',
    ]);
    expect(texts((await badge(url, '/cutover/routes/tracking/badge/weight')).svg)).toEqual([
      'tracking on the service',
      '5%',
    ]);
    const hostile = await badge(url, `/cutover/routes/${encodeURIComponent('<script>alert(1)</script>')}/badge/parity`);
    expect(hostile.svg).not.toContain('<script');
    expect(texts(hostile.svg)).toEqual(['&lt;script&gt;alert(1)&lt;/script&gt; parity', 'differs']);
    expect(hostile.headers.get('content-security-policy')).toContain("default-src 'none'");
  });
});
