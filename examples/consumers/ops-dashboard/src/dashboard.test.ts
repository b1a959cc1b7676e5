import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { Dashboard, ShipmentNotFound } from './dashboard.js';

const API = 'http://logistics.internal';
const dashboard = new Dashboard(API);

afterEach(() => nock.cleanAll());

describe('the shipment card', () => {
  it('shows the status, the expected delivery and the last event', async () => {
    nock(API)
      .get('/api/tracking/SHP-1002')
      .reply(200, {
        shipmentId: 'SHP-1002',
        status: 'out_for_delivery',
        eta: {
          estimatedDelivery: '2026-11-18T09:30:00.000Z',
          window: { from: '2026-11-18T07:30:00.000Z', to: '2026-11-18T11:30:00.000Z' },
          confidence: 'high',
        },
        events: [
          {
            id: 'EVT-1002-5',
            status: 'out_for_delivery',
            description: 'Out for delivery',
            location: { city: 'Berlin', country: 'DE' },
            occurredAt: '2026-11-18T07:30:00.000Z',
          },
        ],
      });
    expect(await dashboard.card('SHP-1002')).toEqual({
      id: 'SHP-1002',
      status: 'out_for_delivery',
      expectedAt: '2026-11-18T09:30:00.000Z',
      lastEvent: { status: 'out_for_delivery', at: '2026-11-18T07:30:00.000Z', city: 'Berlin' },
    });
  });

  it('says when a shipment does not exist', async () => {
    nock(API)
      .get('/api/tracking/SHP-0000')
      .reply(404, { error: { code: 'SHIPMENT_NOT_FOUND', message: 'Shipment SHP-0000 does not exist' } });
    await expect(dashboard.card('SHP-0000')).rejects.toBeInstanceOf(ShipmentNotFound);
  });
});

describe('the event strip', () => {
  it('lists the latest events, newest first', async () => {
    nock(API)
      .get('/api/tracking/SHP-1002/events')
      .query({ limit: '2' })
      .reply(200, {
        shipmentId: 'SHP-1002',
        total: 5,
        events: [
          { id: 'EVT-1002-5', status: 'out_for_delivery', occurredAt: '2026-11-18T07:30:00.000Z' },
          { id: 'EVT-1002-4', status: 'in_transit', occurredAt: '2026-11-18T01:30:00.000Z' },
        ],
      });
    expect(await dashboard.latestEvents('SHP-1002', 2)).toEqual({
      total: 5,
      statuses: ['out_for_delivery', 'in_transit'],
    });
  });
});
