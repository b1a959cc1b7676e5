import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { serve, type Running } from './__fixtures__/http.js';
import { envoyMirrorRoute, nginxMirrorConfig } from './gateway.js';
import { createMirrorReceiver, startMirrorReceiver, type MirrorReceiver } from './mirror.js';

let monolith: Running;
let candidate: Running;
const hits: Record<'monolith' | 'candidate', string[]> = { monolith: [], candidate: [] };

beforeAll(async () => {
  monolith = await serve((req, res) => {
    hits.monolith.push(`${req.method} ${req.url} ${req.headers['x-tenant']}`);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ id: 1, requestId: randomUUID() }));
  });
  candidate = await serve((req, res) => {
    hits.candidate.push(`${req.method} ${req.url} ${req.headers['x-tenant']}`);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ id: 1, requestId: randomUUID(), debug: true }));
  });
});
afterAll(async () => Promise.all([monolith.close(), candidate.close()]));

const receivers: MirrorReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
  hits.monolith.length = 0;
  hits.candidate.length = 0;
});

describe('the gateway-fed receiver', () => {
  it('answers the mirror 204 at once, then asks both services the same request (headers included) and compares', async () => {
    const receiver = await startMirrorReceiver({ monolith: monolith.url, candidate: candidate.url, port: 0 });
    receivers.push(receiver);
    const res = await fetch(`${receiver.url}/items/1?full=1`, { headers: { 'X-Tenant': 'acme' } });
    expect(res.status).toBe(204);
    await receiver.settle();
    const evidence = receiver.evidence();
    expect(evidence.mode).toBe('gateway');
    expect(evidence.routes[0]).toMatchObject({ path: '/items/{id}', compared: 1, differing: 1 });
    expect(evidence.routes[0]!.differences.map((d) => `${d.kind} ${d.path}`)).toEqual(['extra $.debug']);
    // The varying requestId was learned as noise from a second monolith answer.
    expect(evidence.routes[0]!.noise.map((d) => d.path)).toEqual(['$.requestId']);
    expect(hits.candidate).toEqual(['GET /items/1?full=1 acme']);
    expect(hits.monolith).toEqual(['GET /items/1?full=1 acme', 'GET /items/1?full=1 acme']);
  });

  it('never replays an unsafe method on either service, and says so', async () => {
    const receiver = createMirrorReceiver({ monolith: monolith.url, candidate: candidate.url });
    receivers.push(receiver);
    await receiver.compareMirrored({ method: 'POST', url: '/items', rawHeaders: [], body: Buffer.from('{}') });
    expect(hits).toEqual({ monolith: [], candidate: [] });
    expect(receiver.evidence().totals).toMatchObject({ seen: 1, unsafeNotMirrored: 1, mirrored: 0 });
    expect(receiver.evidence().notes[0]).toMatch(/a mirrored write cannot be replayed on the monolith/);
  });
});

describe('gateway configuration', () => {
  it('refuses values that would inject configuration into nginx or Envoy', () => {
    expect(() =>
      nginxMirrorConfig({ location: '/api/ { return 200; }', monolith: 'monolith', receiver: '127.0.0.1:8090' }),
    ).toThrow(/cannot be written into gateway config/);
    expect(() => nginxMirrorConfig({ location: '/api/', monolith: 'monolith;', receiver: '127.0.0.1:8090' })).toThrow();
    expect(() => envoyMirrorRoute({ prefix: '/api/"\n- match', monolith: 'monolith', receiver: 'shadow' })).toThrow();
    expect(envoyMirrorRoute({ prefix: '/api/', monolith: 'monolith', receiver: 'cutover_shadow' })).toContain(
      'request_mirror_policies:\n      - cluster: cutover_shadow',
    );
  });
});
