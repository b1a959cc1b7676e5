import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { parseShadowEvidence, SHADOW_FORMAT } from '@cutover/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deadUrl, fetchRaw, garbage, serve, type Running } from './__fixtures__/http.js';
import { startShadowProxy, type ShadowServer } from './proxy.js';

const shipment = { id: 'SHP-1', status: 'in_transit', events: [{ at: '2026-11-18T07:30:00Z', place: 'Leeds' }] };

let monolith: Running;
let wrong: Running;
let slow: Running;
let broken: Running;
let dead: string;
const candidateHits: { method: string; url: string; body: string }[] = [];

beforeAll(async () => {
  monolith = await serve((req, res) => {
    const url = req.url ?? '/';
    if (url.startsWith('/api/tracking/noisy')) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ id: 'SHP-2', requestId: randomUUID() }));
    } else if (url.startsWith('/api/tracking/')) {
      const body = JSON.stringify(shipment);
      res.writeHead(200, 'Fine', [
        'Content-Type',
        'application/json; charset=utf-8',
        'X-Custom',
        'one',
        'x-CUSTOM',
        'two',
        'Content-Length',
        String(Buffer.byteLength(body)),
      ]);
      res.end(body);
    } else if (url === '/stream') {
      res.writeHead(200, { 'Content-Type': 'text/plain', Trailer: 'X-Checksum' });
      res.write('first ');
      setTimeout(() => {
        res.addTrailers({ 'X-Checksum': 'abc123' });
        res.end('second');
      }, 20);
    } else if (url === '/gzip') {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
      res.end(gzipSync(JSON.stringify(shipment)));
    } else if (req.method === 'POST') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        res.writeHead(201, { 'Content-Type': 'application/json', Location: '/api/orders/9' });
        res.end(JSON.stringify({ received: Buffer.concat(chunks).toString() }));
      });
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('no');
    }
  });
  // Answers every request with another status, other headers and a leaked e-mail address and token.
  wrong = await serve((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      candidateHits.push({ method: req.method ?? '', url: req.url ?? '', body: Buffer.concat(chunks).toString() });
      const url = req.url ?? '/';
      if (url.startsWith('/api/tracking/noisy')) {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ id: 'SHP-2', requestId: url.includes('format=bad') ? 'req-7' : randomUUID() }));
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json', 'X-Candidate': 'yes' });
      res.end(JSON.stringify({ ...shipment, email: 'ann@example.com', token: 'tok-9f8e7d' }));
    });
  });
  slow = await serve((_req, res) => {
    setTimeout(() => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(shipment));
    }, 1500);
  });
  broken = await garbage();
  dead = await deadUrl();
});
afterAll(async () => {
  await Promise.all([monolith, wrong, slow, broken].map((s) => s.close()));
});

const proxies: ShadowServer[] = [];
afterEach(async () => {
  await Promise.all(proxies.splice(0).map((p) => p.close(100)));
  candidateHits.length = 0;
});

async function proxy(options: Partial<Parameters<typeof startShadowProxy>[0]> & { candidate: string }) {
  const started = await startShadowProxy({
    monolith: monolith.url,
    pathTemplates: ['/api/tracking/{id}'],
    timeoutMs: 5000,
    ...options,
  });
  proxies.push(started);
  return started;
}

const requests: { path: string; method?: string; headers?: Record<string, string>; body?: string }[] = [
  { path: '/api/tracking/SHP-1' },
  { path: '/api/tracking/SHP-1?access_token=s3cret', headers: { Authorization: 'Bearer real-token' } },
  { path: '/stream', headers: { TE: 'trailers' } },
  { path: '/gzip', headers: { 'Accept-Encoding': 'gzip' } },
  { path: '/missing' },
  { path: '/api/orders', method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"item":1}' },
];

describe('the caller always gets the monolith’s answer, byte for byte', () => {
  const candidates: [string, () => string][] = [
    ['dead', () => dead],
    ['slow', () => slow.url],
    ['wrong', () => wrong.url],
    ['not speaking HTTP', () => broken.url],
  ];
  it.each(candidates)(
    'with a %s candidate: status, reason, headers in order and case, body, trailers are the monolith’s',
    async (_name, candidate) => {
      const shadow = await proxy({ candidate: candidate(), mirrorUnsafe: true });
      for (const r of requests) {
        const direct = await fetchRaw(monolith.url + r.path, r);
        const shadowed = await fetchRaw(shadow.url + r.path, r);
        expect({ ...shadowed, ms: 0 }, `${r.method ?? 'GET'} ${r.path}`).toEqual({ ...direct, ms: 0 });
      }
      expect((await fetchRaw(`${shadow.url}/stream`)).rawTrailers).toEqual(['X-Checksum', 'abc123']);
    },
  );

  it('a slow candidate never delays the caller: answers come back long before the candidate’s', async () => {
    const shadow = await proxy({ candidate: slow.url });
    const seen = await Promise.all([1, 2, 3].map(() => fetchRaw(`${shadow.url}/api/tracking/SHP-1`)));
    for (const s of seen) expect(s.ms).toBeLessThan(1000);
    const evidence = await shadow.close(100);
    // The comparisons waited for the candidate, off the callers' path.
    expect(evidence.routes[0]!.candidate.latency.p50Ms).toBeGreaterThanOrEqual(1400);
    expect(evidence.totals.compared).toBe(3);
  });
});

describe('the comparison and its evidence', () => {
  it('counts a leaked field per route with redacted examples, and the candidate’s errors and latency beside the monolith’s', async () => {
    const shadow = await proxy({ candidate: wrong.url, provider: 'logistics', candidateVersion: '1.4.0' });
    for (let i = 0; i < 4; i++) await fetchRaw(`${shadow.url}/api/tracking/SHP-${i}?access_token=s3cret`);
    const evidence = await shadow.close();
    expect(parseShadowEvidence(JSON.parse(JSON.stringify(evidence)), 'evidence')).toBeTruthy();
    expect(evidence).toMatchObject({
      format: SHADOW_FORMAT,
      mode: 'proxy',
      provider: 'logistics',
      candidateVersion: '1.4.0',
    });
    const route = evidence.routes.find((r) => r.path === '/api/tracking/{id}')!;
    expect(route).toMatchObject({ method: 'GET', seen: 4, mirrored: 4, compared: 4, differing: 4, identical: 0 });
    const email = route.differences.find((d) => d.path === '$.email')!;
    expect(email).toMatchObject({ kind: 'extra', count: 4 });
    expect(email.examples).toHaveLength(3);
    expect(email.examples[0]).toMatchObject({
      request: { method: 'GET', path: '/api/tracking/SHP-0?access_token=%3Credacted%3E' },
      candidate: 'ann@example.com',
    });
    const token = route.differences.find((d) => d.path === '$.token')!;
    expect(token.examples[0]!.candidate).toBe('<redacted>');
    expect(route.differences.find((d) => d.kind === 'header' && d.path === 'x-candidate')?.count).toBe(4);
    const text = JSON.stringify(evidence);
    expect(text).not.toContain('s3cret');
    expect(text).not.toContain('tok-9f8e7d');
    expect(route.candidate).toMatchObject({ requests: 4, errors: 0, errorRate: 0 });
    expect(route.monolith.latency.count).toBe(4);
    expect(route.candidate.latency.p99Ms).toBeGreaterThan(0);
  });

  it('learns noise from a second monolith answer: a varying UUID compared by format, not value', async () => {
    const shadow = await proxy({ candidate: wrong.url, pathTemplates: ['/api/tracking/noisy'] });
    await fetchRaw(`${shadow.url}/api/tracking/noisy`);
    await fetchRaw(`${shadow.url}/api/tracking/noisy?format=bad`);
    const evidence = await shadow.close();
    const route = evidence.routes.find((r) => r.path === '/api/tracking/noisy')!;
    expect(route).toMatchObject({ compared: 2, noiseOnly: 1, differing: 1 });
    expect(route.noise[0]).toMatchObject({ kind: 'value', path: '$.requestId', count: 1 });
    expect(route.differences[0]!.examples[0]!.message).toMatch(/monolith's are uuid and the candidate's is not/);
  });

  it('without monolith samples the same varying UUID counts as a difference', async () => {
    const shadow = await proxy({
      candidate: wrong.url,
      monolithSamples: false,
      pathTemplates: ['/api/tracking/noisy'],
    });
    await fetchRaw(`${shadow.url}/api/tracking/noisy`);
    const evidence = await shadow.close();
    expect(evidence.routes[0]).toMatchObject({ compared: 1, differing: 1, noiseOnly: 0 });
  });

  it('does not mirror unsafe methods unless told, and says so first', async () => {
    const shadow = await proxy({ candidate: wrong.url });
    await fetchRaw(`${shadow.url}/api/orders`, { method: 'POST', body: '{"item":1}' });
    const evidence = await shadow.close();
    expect(candidateHits).toEqual([]);
    expect(evidence.totals).toMatchObject({ seen: 1, mirrored: 0, unsafeNotMirrored: 1 });
    expect(evidence.notes[0]).toMatch(/1 request\(s\) with unsafe methods were not mirrored \(--mirror-unsafe/);

    const unsafe = await proxy({ candidate: wrong.url, mirrorUnsafe: true });
    await fetchRaw(`${unsafe.url}/api/orders`, { method: 'POST', body: '{"item":2}' });
    await unsafe.settle();
    expect(candidateHits).toEqual([{ method: 'POST', url: '/api/orders', body: '{"item":2}' }]);
    expect(unsafe.evidence().totals).toMatchObject({ mirrored: 1, compared: 1, unsafeNotMirrored: 0 });
  });

  it('a dead or garbled candidate is an error of the candidate, never a silent pass', async () => {
    for (const candidate of [dead, broken.url]) {
      const shadow = await proxy({ candidate });
      await fetchRaw(`${shadow.url}/api/tracking/SHP-1`);
      await fetchRaw(`${shadow.url}/api/tracking/SHP-2`);
      const evidence = await shadow.close();
      expect(evidence.totals).toMatchObject({ mirrored: 2, compared: 0, errored: 2, identical: 0 });
      expect(evidence.routes[0]!.candidate).toMatchObject({ requests: 2, errors: 2, errorRate: 1 });
      expect(evidence.notes.join(' ')).toMatch(/2 mirrored request\(s\) could not be compared/);
    }
  });
});

describe('sampling and the memory bound', () => {
  it('mirrors the sampled fraction and counts the rest', async () => {
    const draws = [0.1, 0.9, 0.2, 0.8];
    const shadow = await proxy({ candidate: wrong.url, sampleRate: 0.5, random: () => draws.shift() ?? 0 });
    for (let i = 0; i < 4; i++) await fetchRaw(`${shadow.url}/api/tracking/SHP-1`);
    const evidence = await shadow.close();
    expect(evidence.totals).toMatchObject({ seen: 4, mirrored: 2, sampledOut: 2, compared: 2 });
    expect(evidence.settings.sampleRate).toBe(0.5);
  });

  it('drops and counts requests when the pending comparisons are full, and never holds more', async () => {
    const shadow = await proxy({ candidate: slow.url, maxPending: 2 });
    const seen = await Promise.all([1, 2, 3, 4, 5].map(() => fetchRaw(`${shadow.url}/api/tracking/SHP-1`)));
    for (const s of seen) expect(s.status).toBe(200);
    const evidence = await shadow.close();
    expect(evidence.totals).toMatchObject({ seen: 5, mirrored: 2, dropped: 3, compared: 2 });
    expect(evidence.notes.join(' ')).toMatch(
      /3 request\(s\) were not compared because 2 comparisons were already pending/,
    );
  });

  it('refuses a sampling rate outside 0..1 with a coded usage error', async () => {
    await expect(
      startShadowProxy({ monolith: monolith.url, candidate: wrong.url, sampleRate: 1.5 }),
    ).rejects.toMatchObject({
      code: 'CUTOVER_USAGE',
      message: expect.stringMatching(/sampling rate must be a number from 0 to 1/) as unknown,
    });
  });
});
