import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMonolith } from '@cutover/example-logistics-monolith';
import type { Divergence } from './divergence.js';
import { DIVERGENCES, parseDivergences } from './divergence.js';
import { startTrackingService } from './server.js';

// Response bodies are probed field by field; typing each shape would only restate the assertions.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const dir = mkdtempSync(join(tmpdir(), 'tracking-test-'));
const dataFile = join(dir, 'logistics.json');
const quiet = () => undefined;
let monolith: Awaited<ReturnType<typeof startMonolith>>;
let faithful: Awaited<ReturnType<typeof startTrackingService>>;

beforeAll(async () => {
  monolith = await startMonolith({ port: 0, dataFile, log: quiet });
  faithful = await startTrackingService({ port: 0, dataFile, divergence: 'none', log: quiet });
});
afterAll(async () => {
  await Promise.all([monolith.close(), faithful.close()]);
  rmSync(dir, { recursive: true, force: true });
});

async function get(base: string, path: string) {
  const res = await fetch(base + path);
  const body = (await res.json()) as Record<string, Json>;
  // generatedAt and requestId are volatile by design; everything else must match.
  delete body.generatedAt;
  delete body.requestId;
  return { status: res.status, body, cache: res.headers.get('cache-control') };
}

const SEEDED = ['SHP-1001', 'SHP-1002', 'SHP-1003', 'SHP-1004', 'SHP-1005', 'SHP-1006', 'SHP-1007', 'SHP-1008'];
const PATHS = SEEDED.flatMap((id) => [
  `/api/tracking/${id}`,
  `/api/tracking/${id}/events?limit=3`,
  `/api/tracking/${id}/eta`,
]).concat(['/api/tracking/SHP-404', '/api/tracking/SHP-1001/events?limit=500']);

describe('tracking service, faithful build', () => {
  it('answers every tracking route exactly like the monolith (apart from volatile fields)', async () => {
    for (const path of PATHS) {
      expect(await get(faithful.url, path), path).toEqual(await get(monolith.url, path));
    }
  });

  it('sets up provider states in the shared data file, visible to the monolith', async () => {
    const res = await fetch(`${faithful.url}/_pact/provider-states`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        state: 'a shipment is out for delivery',
        params: { shipmentId: 'SHP-4242' },
        action: 'setup',
      }),
    });
    expect(await res.json()).toEqual({ shipmentId: 'SHP-4242', reference: 'ORD-4242', status: 'out_for_delivery' });
    expect((await get(monolith.url, '/api/tracking/SHP-4242')).body).toEqual(
      (await get(faithful.url, '/api/tracking/SHP-4242')).body,
    );
  });

  it('does not serve the routes it has not taken over', async () => {
    expect((await get(faithful.url, '/api/auth/me')).status).toBe(404);
  });
});

describe('tracking service divergences', () => {
  const expectations: Record<Divergence, (m: Record<string, Json>, c: Record<string, Json>) => void> = {
    'dropped-field': (m, c) => {
      expect(m.body.events[0].location).toBeDefined();
      expect(c.body.events[0]).not.toHaveProperty('location');
    },
    'renamed-field': (m, c) => {
      expect(c.body.eta.estimatedDeliveryAt).toBe(m.body.eta.estimatedDelivery);
      expect(c.body.eta).not.toHaveProperty('estimatedDelivery');
    },
    'status-code': (m, c) => {
      expect(m.status).toBe(404);
      expect(c.status).toBe(500);
    },
    'date-format': (m, c) => {
      expect(m.body.events[0].occurredAt).toBe('2026-11-17T02:00:00.000Z');
      expect(c.body.events[0].occurredAt).toBe('2026-11-17 02:00:00');
    },
    'leaked-field': (m, c) => {
      expect(m.body).not.toHaveProperty('customerEmail');
      expect(c.body.customerEmail).toBe('carol@shop.example');
    },
  };

  for (const divergence of DIVERGENCES) {
    it(`${divergence}: differs from the monolith in exactly the documented way`, async () => {
      const broken = await startTrackingService({ port: 0, dataFile, divergence, log: quiet });
      try {
        const path = divergence === 'status-code' ? '/api/tracking/SHP-404' : '/api/tracking/SHP-1001';
        expectations[divergence](await get(monolith.url, path), await get(broken.url, path));
        // Everything the divergence does not touch still matches.
        if (divergence !== 'status-code') {
          expect(await get(broken.url, '/api/tracking/SHP-404')).toEqual(
            await get(monolith.url, '/api/tracking/SHP-404'),
          );
        }
      } finally {
        await broken.close();
      }
    });
  }

  it('refuses an unknown divergence, naming the valid ones', () => {
    expect(() => parseDivergences('dropped-field,typo')).toThrow(
      /unknown divergence "typo"; choose from dropped-field, renamed-field/,
    );
    expect([...parseDivergences('none')]).toEqual([]);
    expect([...parseDivergences('date-format, leaked-field')]).toEqual(['date-format', 'leaked-field']);
  });
});
