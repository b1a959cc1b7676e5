import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadOpenApi } from '@cutover/openapi';
import type { OpenApiDocument } from '@cutover/openapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningService } from './server.js';
import { startMonolith } from './server.js';

// The published document must be honest: whatever the monolith really answers validates against it.
const documentPath = fileURLToPath(new URL('../../../contracts/openapi/logistics.yaml', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'monolith-openapi-'));
let monolith: RunningService;
let doc: OpenApiDocument;

beforeAll(async () => {
  [monolith, doc] = await Promise.all([
    startMonolith({ port: 0, dataFile: join(dir, 'data.json'), documentDelayMs: 5, log: () => undefined }),
    loadOpenApi(documentPath),
  ]);
});
afterAll(async () => {
  await monolith.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Exchange {
  method: string;
  path: string;
  body?: unknown;
  token?: string;
}

/** Sends a request and returns the document's violations, for the request and for the response. */
async function violations({ method, path, body, token }: Exchange) {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(monolith.url + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const responseBody: unknown = await res.json();
  const request = { method, path, headers, body, ...(body === undefined ? {} : { contentType: 'application/json' }) };
  const response = {
    status: res.status,
    headers: Object.fromEntries(res.headers),
    body: responseBody,
    contentType: res.headers.get('content-type') ?? '',
  };
  return {
    status: res.status,
    body: responseBody as Record<string, unknown>,
    request: doc.validateRequest(request),
    found: doc.validateResponse({ method, path }, response),
  };
}

async function token(email: string, password: string): Promise<string> {
  const res = await violations({ method: 'POST', path: '/api/auth/login', body: { email, password } });
  expect([...res.request, ...res.found]).toEqual([]);
  return res.body.accessToken as string;
}

describe('contracts/openapi/logistics.yaml describes the monolith honestly', () => {
  it('documents every tracking answer, including 404', async () => {
    const ids = ['SHP-1001', 'SHP-1002', 'SHP-1003', 'SHP-1004', 'SHP-1006', 'SHP-1008'];
    const exchanges: Exchange[] = ids.flatMap((id) => [
      { method: 'GET', path: `/api/tracking/${id}` },
      { method: 'GET', path: `/api/tracking/${id}/events?limit=3` },
      { method: 'GET', path: `/api/tracking/${id}/eta` },
    ]);
    exchanges.push(
      { method: 'GET', path: '/api/tracking/SHP-404' },
      { method: 'GET', path: '/api/tracking/SHP-404/eta' },
    );
    for (const exchange of exchanges) {
      const res = await violations(exchange);
      expect([...res.request, ...res.found], `${exchange.method} ${exchange.path}`).toEqual([]);
    }
  });

  it('documents auth, the shipment lifecycle, notifications and documents, errors included', async () => {
    const dana = await token('dana@logistics.example', 'dispatch-2026');
    const carol = await token('carol@shop.example', 'parcel-lover');
    const created = await violations({
      method: 'POST',
      path: '/api/shipments',
      token: dana,
      body: {
        reference: 'ORD-OA',
        customerId: 'USR-2',
        origin: { city: 'Bonn', country: 'DE' },
        destination: { city: 'Lyon', country: 'FR' },
        weightKg: 1.5,
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    // `invalid`: the request breaks the document on purpose; only the error answer is checked.
    const exchanges: (Exchange & { status: number; invalid?: true })[] = [
      {
        method: 'POST',
        path: '/api/auth/login',
        body: { email: 'dana@logistics.example', password: 'x' },
        status: 401,
      },
      {
        method: 'POST',
        path: '/api/auth/login',
        body: { email: 'dana@logistics.example' },
        status: 422,
        invalid: true,
      },
      { method: 'GET', path: '/api/auth/me', token: carol, status: 200 },
      { method: 'GET', path: '/api/auth/me', status: 401 },
      { method: 'GET', path: '/api/shipments?status=in_transit', token: dana, status: 200 },
      { method: 'GET', path: '/api/shipments', token: carol, status: 200 },
      { method: 'GET', path: `/api/shipments/${id}`, token: dana, status: 200 },
      { method: 'POST', path: '/api/shipments', token: carol, body: { reference: 'x' }, status: 403, invalid: true },
      { method: 'POST', path: `/api/shipments/${id}/assign`, token: dana, body: { driverId: 'DRV-1' }, status: 200 },
      { method: 'POST', path: `/api/shipments/${id}/assign`, token: dana, body: { driverId: 'DRV-1' }, status: 409 },
      {
        method: 'POST',
        path: `/api/shipments/${id}/transitions`,
        token: dana,
        body: { status: 'picked_up' },
        status: 200,
      },
      {
        method: 'POST',
        path: `/api/shipments/${id}/transitions`,
        token: dana,
        body: { status: 'delivered' },
        status: 409,
      },
      {
        method: 'POST',
        path: '/api/shipments/SHP-404/transitions',
        token: dana,
        body: { status: 'delivered' },
        status: 404,
      },
      { method: 'GET', path: '/api/notifications?unread=true', token: carol, status: 200 },
      { method: 'POST', path: '/api/notifications/NTF-1/read', token: carol, status: 200 },
      { method: 'GET', path: '/api/shipments/SHP-1003/documents', token: carol, status: 200 },
      {
        method: 'POST',
        path: `/api/shipments/${id}/documents`,
        token: dana,
        body: { kind: 'shipping_label' },
        status: 202,
      },
      {
        method: 'POST',
        path: `/api/shipments/${id}/documents`,
        token: dana,
        body: { kind: 'proof_of_delivery' },
        status: 409,
      },
      { method: 'GET', path: '/api/documents/DOC-2', token: dana, status: 200 },
    ];
    for (const { status, invalid, ...exchange } of exchanges) {
      const res = await violations(exchange);
      expect(res.status, `${exchange.method} ${exchange.path}`).toBe(status);
      if (invalid) expect(res.request).not.toEqual([]);
      else expect(res.request, `${exchange.method} ${exchange.path} (request)`).toEqual([]);
      expect(res.found, `${exchange.method} ${exchange.path}`).toEqual([]);
    }
  });

  it('flags what a divergent service would answer (a leaked field, a database date format)', () => {
    const target = { method: 'GET', path: '/api/tracking/SHP-1001/events' };
    const event = {
      id: 'EVT-1001-1',
      status: 'created',
      description: 'x',
      location: { city: 'Hamburg', country: 'DE' },
    };
    const leaked = doc.validateResponse(target, {
      status: 200,
      contentType: 'application/json',
      body: {
        shipmentId: 'SHP-1001',
        total: 1,
        events: [{ ...event, occurredAt: '2026-11-16T08:00:00.000Z' }],
        customerEmail: 'x@y.z',
      },
    });
    expect(leaked.map((v) => v.rule)).toContain('additionalProperties');
    const dated = doc.validateResponse(target, {
      status: 200,
      contentType: 'application/json',
      body: { shipmentId: 'SHP-1001', total: 1, events: [{ ...event, occurredAt: '2026-11-16 08:00:00' }] },
    });
    expect(dated.map((v) => v.rule)).toContain('format');
  });
});
