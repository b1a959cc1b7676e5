import { hashPassword } from './auth.js';
import type { Database, DocumentMeta } from './domain/model.js';
import { upsertShipment } from './domain/shipments.js';

/** Demo accounts (documented in the example's README): email → password. */
export const SEED_PASSWORDS = {
  'dana@logistics.example': 'dispatch-2026',
  'carol@shop.example': 'parcel-lover',
  'mo@mobile.example': 'on-the-go',
} as const;

/**
 * The deterministic seed data: the same bytes every time, so two processes seeding independently
 * (or a reset between runs) agree on every id and timestamp.
 */
export function seedDatabase(): Database {
  const db: Database = {
    schemaVersion: 1,
    users: [
      user('USR-1', 'dana@logistics.example', 'Dana Dispatcher', 'dispatcher'),
      user('USR-2', 'carol@shop.example', 'Carol Customer', 'customer'),
      user('USR-3', 'mo@mobile.example', 'Mo Mobile', 'customer'),
    ],
    drivers: [
      { id: 'DRV-1', name: 'Piotr Nowak', vehicle: 'Van HH-LG 101', active: true },
      { id: 'DRV-2', name: 'Aylin Demir', vehicle: 'Van M-LG 202', active: true },
      { id: 'DRV-3', name: 'Jan de Vries', vehicle: 'Truck VE-LG 303', active: false },
    ],
    shipments: [],
    events: [],
    notifications: [],
    documents: [],
    counters: { shipment: 1008, notification: 0, document: 0 },
  };
  const berlin = { city: 'Berlin', country: 'DE' };
  const paris = { city: 'Paris', country: 'FR' };
  const rotterdam = { city: 'Rotterdam', country: 'NL' };
  upsertShipment(db, { id: 'SHP-1001', status: 'in_transit', createdAt: '2026-11-16T08:00:00.000Z' });
  upsertShipment(db, {
    id: 'SHP-1002',
    status: 'out_for_delivery',
    service: 'express',
    destination: berlin,
    createdAt: '2026-11-17T07:30:00.000Z',
  });
  upsertShipment(db, {
    id: 'SHP-1003',
    status: 'delivered',
    customerId: 'USR-3',
    destination: paris,
    createdAt: '2026-11-12T10:00:00.000Z',
  });
  upsertShipment(db, {
    id: 'SHP-1004',
    status: 'created',
    customerId: 'USR-3',
    origin: rotterdam,
    createdAt: '2026-11-18T09:15:00.000Z',
  });
  upsertShipment(db, { id: 'SHP-1005', status: 'assigned', createdAt: '2026-11-18T11:45:00.000Z' });
  upsertShipment(db, {
    id: 'SHP-1006',
    status: 'exception',
    customerId: 'USR-3',
    destination: rotterdam,
    createdAt: '2026-11-15T06:00:00.000Z',
  });
  upsertShipment(db, { id: 'SHP-1007', status: 'cancelled', createdAt: '2026-11-14T13:00:00.000Z' });
  upsertShipment(db, { id: 'SHP-1008', status: 'returned', service: 'express', createdAt: '2026-11-10T08:00:00.000Z' });

  db.notifications.push(
    {
      id: 'NTF-1',
      userId: 'USR-2',
      shipmentId: 'SHP-1002',
      channel: 'push',
      message: 'ORD-1002: Out for delivery',
      createdAt: '2026-11-18T13:30:00.000Z',
      readAt: null,
    },
    {
      id: 'NTF-2',
      userId: 'USR-3',
      shipmentId: 'SHP-1003',
      channel: 'email',
      message: 'ORD-1003: Delivered',
      createdAt: '2026-11-13T16:00:00.000Z',
      readAt: '2026-11-13T18:02:11.000Z',
    },
    {
      id: 'NTF-3',
      userId: 'USR-3',
      shipmentId: 'SHP-1006',
      channel: 'email',
      message: 'ORD-1006: Delivery exception: recipient not available',
      createdAt: '2026-11-16T06:00:00.000Z',
      readAt: null,
    },
  );
  db.counters.notification = 3;
  db.documents.push(
    doc('DOC-1', 'SHP-1001', 'shipping_label', '2026-11-16T08:00:05.000Z', 1, 48_213),
    doc('DOC-2', 'SHP-1003', 'proof_of_delivery', '2026-11-13T16:00:03.000Z', 2, 211_840),
    doc('DOC-3', 'SHP-1002', 'commercial_invoice', '2026-11-17T07:30:09.000Z', null, null),
  );
  db.counters.document = 3;
  return db;
}

function user(id: string, email: keyof typeof SEED_PASSWORDS, name: string, role: Database['users'][number]['role']) {
  return { id, email, name, role, passwordHash: hashPassword(SEED_PASSWORDS[email], `seed-${id}`) };
}

function doc(
  id: string,
  shipmentId: string,
  kind: DocumentMeta['kind'],
  requestedAt: string,
  pages: number | null,
  sizeBytes: number | null,
): DocumentMeta {
  const ready = pages !== null;
  return {
    id,
    shipmentId,
    kind,
    status: ready ? 'ready' : 'pending',
    contentType: 'application/pdf',
    pages,
    sizeBytes,
    requestedAt,
    readyAt: ready ? new Date(Date.parse(requestedAt) + 2_000).toISOString() : null,
  };
}
