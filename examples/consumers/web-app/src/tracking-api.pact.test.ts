import { copyFileSync, existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MatchersV3, PactV4 } from '@pact-foundation/pact';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTrackingPage, TrackingApi } from './tracking-api.js';

const { like, eachLike, regex, datetime, integer, nullValue } = MatchersV3;

// Pact merges interactions into an existing file, so each run writes into a fresh folder; the
// finished pact then replaces contracts/pacts/web-app-logistics.json in one rename, so readers
// (a verify running in parallel, the demo) never see a missing or half-written pact.
const contracts = fileURLToPath(new URL('../../../../contracts/pacts', import.meta.url));
const pactDir = mkdtempSync(join(tmpdir(), 'pact-web-app-'));
afterAll(() => {
  const file = 'web-app-logistics.json';
  if (existsSync(join(pactDir, file))) {
    const temp = join(contracts, `${file}.${process.pid}.tmp`);
    copyFileSync(join(pactDir, file), temp);
    renameSync(temp, join(contracts, file));
  }
  rmSync(pactDir, { recursive: true, force: true });
});

const provider = new PactV4({ consumer: 'web-app', provider: 'logistics', dir: pactDir, logLevel: 'warn' });

const ISO = "yyyy-MM-dd'T'HH:mm:ss.SSSX";
const STATUS = 'created|assigned|picked_up|in_transit|out_for_delivery|delivered|exception|returned|cancelled';
const place = (city: string, country: string) => ({ city: like(city), country: regex('^[A-Z]{2}$', country) });
const event = {
  id: like('EVT-1001-4'),
  status: regex(`^(${STATUS})$`, 'in_transit'),
  description: like('In transit to the destination hub'),
  location: place('Leipzig', 'DE'),
  occurredAt: datetime(ISO, '2026-11-17T02:00:00.000Z'),
};

describe('web-app → logistics: tracking page', () => {
  it('loads the page of a shipment in transit, with its timeline and delivery window', async () => {
    await provider
      .addInteraction()
      .given('a shipment is in transit', { shipmentId: 'SHP-1001' })
      .uponReceiving('a request for the tracking data of a shipment in transit')
      .withRequest('GET', '/api/tracking/SHP-1001', (b) => b.headers({ Accept: 'application/json' }))
      .willRespondWith(200, (b) =>
        b.jsonBody({
          shipmentId: 'SHP-1001',
          reference: like('ORD-1001'),
          status: 'in_transit',
          service: regex('^(standard|express)$', 'standard'),
          origin: place('Hamburg', 'DE'),
          destination: place('Munich', 'DE'),
          promisedBy: datetime(ISO, '2026-11-19T00:00:00.000Z'),
          eta: {
            estimatedDelivery: datetime(ISO, '2026-11-19T13:30:00.000Z'),
            window: { from: datetime(ISO, '2026-11-19T09:00:00.000Z'), to: datetime(ISO, '2026-11-19T18:00:00.000Z') },
            confidence: regex('^(high|medium|low)$', 'high'),
          },
          lastUpdated: datetime(ISO, '2026-11-17T02:00:00.000Z'),
          events: eachLike(event, 1),
        }),
      )
      .executeTest(async (mock) => {
        const page = await loadTrackingPage(new TrackingApi(mock.url), 'SHP-1001');
        expect(page).toMatchObject({
          title: 'Shipment ORD-1001',
          status: 'in_transit',
          route: 'Hamburg → Munich',
          deliveryLine: 'Arriving between 09:00 and 18:00 on 19 Nov',
        });
        expect(page?.timeline[0]).toEqual({
          when: '2026-11-17T02:00:00.000Z',
          what: 'In transit to the destination hub',
          where: 'Leipzig, DE',
        });
      });
  });

  it('shows "Delivered" and no estimate for a delivered shipment', async () => {
    await provider
      .addInteraction()
      .given('a shipment has been delivered', { shipmentId: 'SHP-1003' })
      .uponReceiving('a request for the tracking data of a delivered shipment')
      .withRequest('GET', '/api/tracking/SHP-1003', (b) => b.headers({ Accept: 'application/json' }))
      .willRespondWith(200, (b) =>
        b.jsonBody({
          shipmentId: 'SHP-1003',
          reference: like('ORD-1003'),
          status: 'delivered',
          service: like('standard'),
          origin: place('Hamburg', 'DE'),
          destination: place('Paris', 'FR'),
          promisedBy: datetime(ISO, '2026-11-15T00:00:00.000Z'),
          eta: nullValue(),
          lastUpdated: datetime(ISO, '2026-11-13T16:00:00.000Z'),
          events: eachLike(
            { ...event, status: 'delivered', description: like('Delivered'), location: place('Paris', 'FR') },
            1,
          ),
        }),
      )
      .executeTest(async (mock) => {
        const page = await loadTrackingPage(new TrackingApi(mock.url), 'SHP-1003');
        expect(page?.deliveryLine).toBe('Delivered');
      });
  });

  it('renders the not-found page when the shipment does not exist', async () => {
    await provider
      .addInteraction()
      .given('no shipment exists', { shipmentId: 'SHP-0000' })
      .uponReceiving('a request for the tracking data of an unknown shipment')
      .withRequest('GET', '/api/tracking/SHP-0000', (b) => b.headers({ Accept: 'application/json' }))
      .willRespondWith(404, (b) =>
        b.jsonBody({
          error: { code: 'SHIPMENT_NOT_FOUND', message: like('Shipment SHP-0000 does not exist') },
        }),
      )
      .executeTest(async (mock) => {
        expect(await loadTrackingPage(new TrackingApi(mock.url), 'SHP-0000')).toBeNull();
      });
  });

  it('loads the latest scan events for the timeline widget', async () => {
    await provider
      .addInteraction()
      .given('a shipment is in transit', { shipmentId: 'SHP-1001' })
      .uponReceiving('a request for the two latest events of a shipment')
      .withRequest('GET', '/api/tracking/SHP-1001/events', (b) =>
        b.query({ limit: '2' }).headers({ Accept: 'application/json' }),
      )
      .willRespondWith(200, (b) =>
        b.jsonBody({
          shipmentId: 'SHP-1001',
          total: integer(4),
          events: eachLike(event, 2),
        }),
      )
      .executeTest(async (mock) => {
        const page = await new TrackingApi(mock.url).getEvents('SHP-1001', 2);
        expect(page?.events).toHaveLength(2);
        expect(page?.total).toBe(4);
      });
  });
});
