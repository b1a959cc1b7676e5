import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHADOW_FORMAT, type ShadowEvidence } from '@cutover/core';
import { engines, startBroker, type RunningBroker } from '../__fixtures__/engines.js';
import { call } from '../__fixtures__/pact-cli.js';

const counts = {
  seen: 4,
  mirrored: 4,
  compared: 4,
  identical: 3,
  noiseOnly: 0,
  differing: 1,
  errored: 0,
  sampledOut: 0,
  dropped: 0,
  unsafeNotMirrored: 0,
};
const side = { requests: 4, errors: 0, errorRate: 0, latency: { count: 4, p50Ms: 3, p99Ms: 7 } };

function run(candidateVersion: string, finishedAt: string): ShadowEvidence {
  return {
    format: SHADOW_FORMAT,
    startedAt: '2026-01-01T09:00:00.000Z',
    finishedAt,
    mode: 'proxy',
    provider: 'logistics',
    candidateVersion,
    monolith: { url: 'http://monolith' },
    candidate: { url: 'http://candidate' },
    settings: { sampleRate: 1, mirrorUnsafe: false, maxPending: 64, monolithSamples: true },
    totals: counts,
    routes: [
      {
        method: 'GET',
        path: '/api/tracking/{id}',
        ...counts,
        monolith: side,
        candidate: side,
        differences: [],
        noise: [],
      },
    ],
    notes: [],
  };
}

describe.each(engines)('shadow evidence on $name', (engine) => {
  let running: RunningBroker;
  let url: string;
  beforeAll(async () => {
    running = await startBroker(engine);
    url = running.url;
  });
  afterAll(async () => running?.stop());

  const list = async (query: string) =>
    ((await call(url, 'GET', `/cutover/shadow${query}`)).body._embedded.shadowRuns as ShadowEvidence[]).map((r) => [
      r.candidateVersion,
      r.finishedAt,
    ]);

  it('stores shadow runs and lists them newest first per provider and candidate version', async () => {
    const first = await call(url, 'POST', '/cutover/shadow', run('1.0.0', '2026-01-01T10:00:00.000Z'));
    expect(first.status).toBe(201);
    expect(first.body._links.self.href).toMatch(/\/cutover\/shadow\/\d+$/);
    await call(url, 'POST', '/cutover/shadow', run('1.0.1', '2026-01-02T10:00:00.000Z'));
    await call(url, 'POST', '/cutover/shadow', run('1.0.0', '2026-01-03T10:00:00.000Z'));
    expect(await list('?provider=logistics')).toEqual([
      ['1.0.0', '2026-01-03T10:00:00.000Z'],
      ['1.0.1', '2026-01-02T10:00:00.000Z'],
      ['1.0.0', '2026-01-01T10:00:00.000Z'],
    ]);
    expect(await list('?provider=logistics&candidateVersion=1.0.0&limit=1')).toEqual([
      ['1.0.0', '2026-01-03T10:00:00.000Z'],
    ]);
    expect(await list('?provider=other')).toEqual([]);
    const self = await fetch(first.body._links.self.href as string).then((r) => r.json() as Promise<ShadowEvidence>);
    expect(self).toMatchObject({ format: SHADOW_FORMAT, candidateVersion: '1.0.0', routes: [{ differing: 1 }] });
  });

  it('shows the latest runs on the migration board, per route, values from traffic escaped', async () => {
    const hostile = run('2.0.0', '2026-01-05T10:00:00.000Z');
    hostile.routes[0] = {
      ...hostile.routes[0]!,
      path: '/api/<script>alert(1)</script>',
      differences: [{ kind: 'extra', path: '$.customerEmail', count: 1, examples: [] }],
    };
    expect((await call(url, 'POST', '/cutover/shadow', hostile)).status).toBe(201);
    const html = await (await fetch(`${url}/ui/board`)).text();
    expect(html).toContain('<h2>Shadow traffic</h2>');
    expect(html).toContain('<code>GET /api/&lt;script&gt;alert(1)&lt;/script&gt;</code>');
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('<code>extra $.customerEmail</code> × 1');
    expect(html).toContain('<span class="pill bad">1 (25%)</span>');
  });

  it('refuses a document that is not valid cutover.shadow/v1 with the JSON path, storing nothing', async () => {
    const lying = { ...run('9.9.9', '2026-01-04T10:00:00.000Z'), totals: { ...counts, compared: 40 } };
    const refused = await call(url, 'POST', '/cutover/shadow', lying);
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body.errors)).toContain(
      '$.totals.compared: is not identical + noiseOnly + differing',
    );
    const other = await call(url, 'POST', '/cutover/shadow', {
      ...run('9.9.9', '2026-01-04T10:00:00.000Z'),
      format: 'x',
    });
    expect(other.status).toBe(400);
    expect(await list('?candidateVersion=9.9.9')).toEqual([]);
  });
});
