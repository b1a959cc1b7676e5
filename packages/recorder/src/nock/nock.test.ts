import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePact } from '@cutover/core';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mergePactFile } from '../write.js';
import { captureNock } from './capture.js';
import { pactFromNockRecording } from './convert.js';
import { pactFromInterceptors } from './interceptors.js';

const BASE = 'http://orders.example';
type Interaction = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

afterEach(() => {
  nock.cleanAll();
});

describe('pacts from declared nock interceptors', () => {
  it('turns each declared interceptor into an interaction and reports what Pact cannot say, dropping nothing silently', async () => {
    const capture = captureNock();
    nock(BASE)
      .get('/api/orders/17')
      .query({ expand: 'items' })
      .reply(200, { id: 17, status: 'open', createdAt: '2026-11-18T07:30:00Z' });
    nock(BASE)
      .get(/\/api\/items\/\d+$/)
      .reply(200, { sku: 'A-1', price: 12.5 });
    nock(BASE)
      .post('/api/orders', (body: { sku?: string }) => body.sku === 'A-1')
      .matchHeader('x-tenant', /acme/)
      .reply(201, { id: 18 }, { 'X-Order': '18' });
    nock(BASE).get('/api/never').reply(204);
    nock(BASE)
      .get(/\/unused-regex/)
      .reply(200, 'x');
    nock(BASE)
      .get('/api/computed')
      .reply(() => [200, 'x']);
    nock(BASE).get('/api/down').replyWithError('ECONNRESET');
    nock(BASE).persist().get('/api/health').reply(200, { ok: true });
    nock(BASE).get('/api/twice').times(2).reply(200, { n: 1 });

    await (await fetch(`${BASE}/api/orders/17?expand=items`)).json();
    await (await fetch(`${BASE}/api/items/5`)).json();
    const posted = await fetch(`${BASE}/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tenant': 'acme-eu' },
      body: JSON.stringify({ sku: 'A-1', qty: 2 }),
    });
    expect(posted.status).toBe(201);
    capture.stop();

    const { pact, notes } = pactFromInterceptors(capture.interceptors, capture.seen, {
      consumer: 'shop',
      provider: 'orders',
    });
    expect(parsePact(pact).interactions).toHaveLength(6);
    const byPath = Object.fromEntries(
      (pact.interactions as Interaction[]).map((i) => [`${i.request.method} ${i.request.path}`, i]),
    );
    expect(Object.keys(byPath).sort()).toEqual([
      'GET /api/health',
      'GET /api/items/5',
      'GET /api/never',
      'GET /api/orders/17',
      'GET /api/twice',
      'POST /api/orders',
    ]);
    expect(byPath['GET /api/orders/17']!.request.query).toEqual({ expand: ['items'] });
    expect(byPath['GET /api/orders/17']!.response.matchingRules.body).toMatchObject({
      '$.id': { matchers: [{ match: 'type' }] },
      '$.status': { matchers: [{ match: 'equality' }] },
      '$.createdAt': { matchers: [{ match: 'regex' }] },
    });
    expect(byPath['POST /api/orders']!.request.body.content).toEqual({ sku: 'A-1', qty: 2 });
    expect(byPath['POST /api/orders']!.request.headers['X-Tenant']).toEqual(['acme-eu']);
    expect(byPath['POST /api/orders']!.response.status).toBe(201);

    const summary = notes.map((n) => `${n.kind} ${n.recorded ? 'recorded' : 'left out'}: ${n.interceptor}`);
    const at = `${BASE}:80`;
    expect(summary).toEqual([
      `regex-path recorded: GET ${at}/\\/api\\/items\\/\\d+$/`,
      `function-body recorded: POST ${at}/api/orders`,
      `regex-header recorded: POST ${at}/api/orders`,
      `never-called recorded: GET ${at}/api/never`,
      `regex-path left out: GET ${at}/\\/unused-regex/`,
      `function-reply left out: GET ${at}/api/computed`,
      `error-reply left out: GET ${at}/api/down`,
      `persist recorded: GET ${at}/api/health`,
      `never-called recorded: GET ${at}/api/health`,
      `times recorded: GET ${at}/api/twice`,
      `never-called recorded: GET ${at}/api/twice`,
    ]);
    // Every declared interceptor is either in the pact or named in a note.
    expect(capture.interceptors).toHaveLength(9);
  });
});

describe('pacts from nock.recorder output', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      res.writeHead(req.url === '/missing' ? 404 : 200, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify(
          req.url === '/missing' ? { error: 'not_found' } : { id: 'b7e3c5a2-9f1d-4c8e-a6b4-2d1f0e9c8b7a', tags: ['x'] },
        ),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('turns recorded calls into a pact with inferred matchers', async () => {
    nock.recorder.rec({ output_objects: true, dont_print: true, enable_reqheaders_recording: true });
    try {
      await (
        await fetch(`${url}/things/1`, { headers: { accept: 'application/json', authorization: 'Bearer s3cret' } })
      ).text();
      await (await fetch(`${url}/things/2`)).text();
      await (await fetch(`${url}/missing`)).text();
    } finally {
      nock.restore();
      nock.activate();
    }
    const recorded = nock.recorder.play();
    nock.recorder.clear();
    const pact = pactFromNockRecording(recorded, { consumer: 'shop', provider: 'things' });
    expect(parsePact(pact).interactions.map((i) => i.description)).toEqual([
      'GET /missing → 404',
      'GET /things/{id} → 200',
    ]);
    const things = (pact.interactions as Interaction[])[1]!;
    expect(things.response.matchingRules.body['$.id'].matchers[0].match).toBe('regex');
    expect(things.response.matchingRules.body['$.tags']).toEqual({
      combine: 'AND',
      matchers: [{ match: 'type', min: 1 }],
    });
    expect(JSON.stringify(pact)).not.toContain('s3cret');
  });

  it('refuses text output with a coded error saying how to record objects', () => {
    expect(() => pactFromNockRecording(['nock("http://x").get("/")'], { consumer: 'c', provider: 'p' })).toThrow(
      expect.objectContaining({ code: 'CUTOVER_USAGE', message: expect.stringContaining('output_objects: true') }),
    );
  });
});

describe('mergePactFile', () => {
  it('merges test files into one pact: same description replaced, the others kept', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cutover-merge-'));
    try {
      const pact = (descriptions: string[], status = 200) => ({
        consumer: { name: 'shop' },
        provider: { name: 'orders' },
        interactions: descriptions.map((description) => ({ description, response: { status } })),
        metadata: {},
      });
      await Promise.all([mergePactFile(dir, pact(['a', 'b'])), mergePactFile(dir, pact(['c']))]);
      await mergePactFile(dir, pact(['b'], 201));
      const merged = JSON.parse(readFileSync(join(dir, 'shop-orders.json'), 'utf8')) as { interactions: Interaction[] };
      expect(merged.interactions.map((i) => [i.description, i.response.status])).toEqual([
        ['a', 200],
        ['b', 201],
        ['c', 200],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
