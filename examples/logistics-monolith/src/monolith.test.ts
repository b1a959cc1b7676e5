import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDatabase } from './seed.js';
import type { RunningService } from './server.js';
import { startMonolith } from './server.js';
import { Store } from './store.js';

// Response bodies are probed field by field; typing each shape would only restate the assertions.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const dir = mkdtempSync(join(tmpdir(), 'monolith-test-'));
const dataFile = join(dir, 'logistics.json');
let monolith: RunningService;

beforeAll(async () => {
  monolith = await startMonolith({ port: 0, dataFile, documentDelayMs: 20, log: () => undefined });
});
afterAll(async () => {
  await monolith.close();
  rmSync(dir, { recursive: true, force: true });
});

async function call(method: string, path: string, body?: unknown, token?: string) {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(monolith.url + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, Json> };
}

async function login(email: string, password: string): Promise<string> {
  const res = await call('POST', '/api/auth/login', { email, password });
  expect(res.status).toBe(200);
  return res.body.accessToken as string;
}

describe('tracking', () => {
  it('answers a shipment with its events newest first and a delivery estimate', async () => {
    const res = await call('GET', '/api/tracking/SHP-1002');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=30');
    expect(res.body).toMatchObject({
      shipmentId: 'SHP-1002',
      status: 'out_for_delivery',
      eta: { confidence: 'high', window: { from: '2026-11-18T07:30:00.000Z', to: '2026-11-18T11:30:00.000Z' } },
    });
    const times = (res.body.events as { occurredAt: string }[]).map((e) => e.occurredAt);
    expect(times).toEqual([...times].sort().reverse());
    expect(res.body.events[0].location).toEqual({ city: 'Berlin', country: 'DE' });
  });

  it('varies the request id and generatedAt on every call (the volatile fields)', async () => {
    const a = await call('GET', '/api/tracking/SHP-1001');
    const b = await call('GET', '/api/tracking/SHP-1001');
    expect(a.headers.get('x-request-id')).not.toBe(b.headers.get('x-request-id'));
    expect(a.body.generatedAt).not.toBe(b.body.generatedAt);
    expect(a.body.generatedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect({ ...a.body, generatedAt: 0 }).toEqual({ ...b.body, generatedAt: 0 });
  });

  it('pages events with ?limit and rejects a bad limit with 422 naming the parameter', async () => {
    const page = await call('GET', '/api/tracking/SHP-1001/events?limit=2');
    expect(page.body.total).toBe(4);
    expect(page.body.events).toHaveLength(2);
    const bad = await call('GET', '/api/tracking/SHP-1001/events?limit=0');
    expect(bad.status).toBe(422);
    expect(bad.body.error.message).toContain('limit');
  });

  it('answers no ETA for a delivered shipment and a low-confidence one after an exception', async () => {
    expect((await call('GET', '/api/tracking/SHP-1003/eta')).body.eta).toBeNull();
    expect((await call('GET', '/api/tracking/SHP-1006/eta')).body.eta.confidence).toBe('low');
  });

  it('answers 404 with a coded error for an unknown shipment and for an unknown route', async () => {
    const res = await call('GET', '/api/tracking/SHP-404');
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'SHIPMENT_NOT_FOUND', message: 'Shipment SHP-404 does not exist' });
    expect(res.body.requestId).toBe(res.headers.get('x-request-id'));
    expect((await call('GET', '/api/nothing')).body.error.code).toBe('ROUTE_NOT_FOUND');
    expect((await call('DELETE', '/api/tracking/SHP-1001')).status).toBe(405);
  });
});

describe('auth', () => {
  it('issues a bearer token that protected routes accept', async () => {
    const token = await login('dana@logistics.example', 'dispatch-2026');
    const me = await call('GET', '/api/auth/me', undefined, token);
    expect(me.body).toEqual({
      id: 'USR-1',
      email: 'dana@logistics.example',
      name: 'Dana Dispatcher',
      role: 'dispatcher',
    });
  });

  it('gives the same 401 for a wrong password and an unknown user, and 422 for a missing field', async () => {
    const wrong = await call('POST', '/api/auth/login', { email: 'dana@logistics.example', password: 'nope' });
    const unknown = await call('POST', '/api/auth/login', { email: 'who@example.com', password: 'nope' });
    expect(wrong.status).toBe(401);
    expect(unknown.body.error).toEqual(wrong.body.error);
    expect((await call('POST', '/api/auth/login', { email: 'dana@logistics.example' })).status).toBe(422);
  });

  it('refuses protected routes without a token (401) and with the wrong role (403)', async () => {
    const anonymous = await call('GET', '/api/shipments');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
    const customer = await login('carol@shop.example', 'parcel-lover');
    expect((await call('POST', '/api/shipments', {}, customer)).status).toBe(403);
    expect((await call('GET', '/api/shipments', undefined, 'abc.def.ghi')).status).toBe(401);
  });

  it('shows customers only their own shipments', async () => {
    const mo = await login('mo@mobile.example', 'on-the-go');
    const list = await call('GET', '/api/shipments', undefined, mo);
    expect(list.body.items.map((s: { customerId: string }) => s.customerId)).toEqual(
      list.body.items.map(() => 'USR-3'),
    );
    expect((await call('GET', '/api/shipments/SHP-1001', undefined, mo)).status).toBe(404);
  });
});

describe('shipment lifecycle', () => {
  it('creates, assigns and moves a shipment, notifying the customer on the way', async () => {
    const token = await login('dana@logistics.example', 'dispatch-2026');
    const created = await call(
      'POST',
      '/api/shipments',
      {
        reference: 'ORD-T1',
        customerId: 'USR-2',
        origin: { city: 'Bonn', country: 'DE' },
        destination: { city: 'Lyon', country: 'FR' },
        weightKg: 4,
      },
      token,
    );
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.headers.get('location')).toBe(`/api/shipments/${id}`);
    expect(created.body).toMatchObject({ status: 'created', allowedTransitions: ['assigned', 'cancelled'] });
    expect((await call('POST', `/api/shipments/${id}/assign`, { driverId: 'DRV-2' }, token)).body.status).toBe(
      'assigned',
    );
    for (const status of ['picked_up', 'in_transit', 'out_for_delivery']) {
      expect((await call('POST', `/api/shipments/${id}/transitions`, { status }, token)).body.status).toBe(status);
    }
    const tracking = await call('GET', `/api/tracking/${id}`);
    expect(tracking.body.events.map((e: { status: string }) => e.status)).toEqual([
      'out_for_delivery',
      'in_transit',
      'picked_up',
      'assigned',
      'created',
    ]);
    expect(tracking.body.events[1].location).toEqual({ city: 'Paris', country: 'FR' });
    const carol = await login('carol@shop.example', 'parcel-lover');
    const inbox = await call('GET', '/api/notifications?unread=true', undefined, carol);
    expect(inbox.body.items[0]).toMatchObject({ shipmentId: id, channel: 'push', message: 'ORD-T1: Out for delivery' });
    const read = await call('POST', `/api/notifications/${inbox.body.items[0].id}/read`, undefined, carol);
    expect(read.body.readAt).toEqual(expect.any(String));
  });

  it('answers 409 with the allowed moves for an illegal transition and 422 for an unknown status', async () => {
    const token = await login('dana@logistics.example', 'dispatch-2026');
    const illegal = await call('POST', '/api/shipments/SHP-1004/transitions', { status: 'delivered' }, token);
    expect(illegal.status).toBe(409);
    expect(illegal.body.error).toMatchObject({
      code: 'ILLEGAL_TRANSITION',
      details: { from: 'created', to: 'delivered', allowed: ['assigned', 'cancelled'] },
    });
    expect((await call('POST', '/api/shipments/SHP-1003/assign', { driverId: 'DRV-1' }, token)).status).toBe(409);
    const unknown = await call('POST', '/api/shipments/SHP-1004/transitions', { status: 'teleported' }, token);
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.details).toEqual({ field: 'status' });
    expect(
      (await call('POST', '/api/shipments/SHP-1004/assign', { driverId: 'DRV-3' }, token)).body.error.message,
    ).toContain('not active');
  });

  it('rejects an invalid new shipment naming the field, and malformed JSON with 400', async () => {
    const token = await login('dana@logistics.example', 'dispatch-2026');
    const bad = await call(
      'POST',
      '/api/shipments',
      { reference: 'X', customerId: 'USR-2', origin: { city: 'Bonn', country: 'Germany' }, weightKg: 1 },
      token,
    );
    expect(bad.status).toBe(422);
    expect(bad.body.error.message).toMatch(/^origin\.country:/);
    const res = await fetch(`${monolith.url}/api/shipments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: '{"reference":',
    });
    expect(res.status).toBe(400);
  });
});

describe('documents', () => {
  it('accepts a generation request with 202 and marks the document ready later', async () => {
    const token = await login('dana@logistics.example', 'dispatch-2026');
    const accepted = await call('POST', '/api/shipments/SHP-1001/documents', { kind: 'commercial_invoice' }, token);
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ status: 'pending', pages: null });
    let doc = accepted.body;
    for (let i = 0; i < 50 && doc.status === 'pending'; i++) {
      await new Promise((r) => setTimeout(r, 10));
      doc = (await call('GET', `/api/documents/${accepted.body.id}`, undefined, token)).body;
    }
    expect(doc).toMatchObject({ status: 'ready', pages: 2 });
    expect((await call('POST', '/api/shipments/SHP-1001/documents', { kind: 'proof_of_delivery' }, token)).status).toBe(
      409,
    );
  });
});

describe('provider states', () => {
  const state = (body: unknown) => call('POST', '/_pact/provider-states', body);

  it('seeds a shipment in the asked status and returns its id for generators', async () => {
    const res = await state({
      state: 'a shipment exists',
      params: { shipmentId: 'SHP-7777', status: 'out_for_delivery' },
      action: 'setup',
    });
    expect(res.body).toEqual({ shipmentId: 'SHP-7777', reference: 'ORD-7777', status: 'out_for_delivery' });
    expect((await call('GET', '/api/tracking/SHP-7777')).body.status).toBe('out_for_delivery');
    const derived = await state({ state: 'a shipment is in transit', params: {}, action: 'setup' });
    expect(derived.body.shipmentId).toMatch(/^SHP-\d{4}$/);
    expect((await state({ state: 'a shipment is in transit', params: {} })).body.shipmentId).toBe(
      derived.body.shipmentId,
    );
  });

  it('removes a shipment for "no shipment exists" and answers teardown with an empty object', async () => {
    await state({ state: 'no shipment exists', params: { shipmentId: 'SHP-7777' } });
    expect((await call('GET', '/api/tracking/SHP-7777')).status).toBe(404);
    expect((await state({ state: 'a shipment exists', action: 'teardown' })).body).toEqual({});
  });

  it('logs a user in and returns a token the API accepts', async () => {
    const res = await state({ state: 'the user is logged in', params: { email: 'mo@mobile.example' } });
    expect((await call('GET', '/api/auth/me', undefined, res.body.accessToken)).body.id).toBe(res.body.userId);
  });

  it('rejects an unknown state with 400 listing the known ones, and a bad action with 422', async () => {
    const res = await state({ state: 'the moon is full' });
    expect(res.status).toBe(400);
    expect(res.body.error.details.known).toContain('a shipment exists');
    expect((await state({ state: 'a shipment exists', action: 'explode' })).status).toBe(422);
  });
});

describe('store', () => {
  it('seeds the same bytes every time', () => {
    expect(JSON.stringify(seedDatabase())).toBe(JSON.stringify(seedDatabase()));
  });

  it('shares writes between two stores on one file (the shared replica)', async () => {
    const file = join(dir, 'shared.json');
    const a = await Store.open(file);
    const b = await Store.open(file);
    await a.update((db) => void (db.shipments[0]!.reference = 'CHANGED'));
    expect((await b.read()).shipments[0]!.reference).toBe('CHANGED');
  });

  it('names the file when the data is not valid JSON', async () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{ nope');
    await expect(Store.open(file)).rejects.toThrow(`data file ${file} is not valid JSON`);
    writeFileSync(file, '{"hello": 1}');
    await expect(Store.open(file)).rejects.toThrow('is not a logistics database');
    expect(readFileSync(file, 'utf8')).toBe('{"hello": 1}');
  });
});
