import type { Database, Notification, Place, ServiceLevel, Shipment, ShipmentStatus, TrackingEvent } from './model.js';
import { DomainError, invalid, notFound } from './errors.js';
import { allowedTransitions, canTransition, isShipmentStatus, pathTo } from './state-machine.js';
import { describeStatus } from './tracking.js';

const HOUR = 3_600_000;
const HUBS: Record<string, string> = { DE: 'Leipzig', FR: 'Paris', NL: 'Venlo', PL: 'Poznan', GB: 'Coventry' };

export function findShipment(db: Database, id: string): Shipment {
  const shipment = db.shipments.find((s) => s.id === id);
  if (!shipment) throw notFound('Shipment', id);
  return shipment;
}

export function eventsOf(db: Database, shipmentId: string): TrackingEvent[] {
  return db.events.filter((e) => e.shipmentId === shipmentId);
}

export interface NewShipment {
  reference: string;
  customerId: string;
  service: ServiceLevel;
  origin: Place;
  destination: Place;
  weightKg: number;
}

/** Validates a create-shipment body; every problem names its field. */
export function parseNewShipment(db: Database, body: unknown): NewShipment {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('body', 'must be a JSON object');
  const b = body as Record<string, unknown>;
  const text = (field: string): string => {
    const value = b[field];
    if (typeof value !== 'string' || value.trim() === '') throw invalid(field, 'must be a non-empty string');
    return value;
  };
  const place = (field: string): Place => {
    const value = b[field] as Record<string, unknown> | undefined;
    if (typeof value !== 'object' || value === null) throw invalid(field, 'must be an object with city and country');
    if (typeof value.city !== 'string' || value.city === '')
      throw invalid(`${field}.city`, 'must be a non-empty string');
    if (typeof value.country !== 'string' || !/^[A-Z]{2}$/.test(value.country)) {
      throw invalid(`${field}.country`, 'must be an ISO 3166 alpha-2 code such as "DE"');
    }
    return { city: value.city, country: value.country };
  };
  const customerId = text('customerId');
  if (!db.users.some((u) => u.id === customerId && u.role === 'customer')) {
    throw invalid('customerId', `no customer ${customerId}`);
  }
  const service = b.service ?? 'standard';
  if (service !== 'standard' && service !== 'express') throw invalid('service', 'must be "standard" or "express"');
  const weightKg = b.weightKg;
  if (typeof weightKg !== 'number' || !(weightKg > 0) || weightKg > 1000) {
    throw invalid('weightKg', 'must be a number above 0 and at most 1000');
  }
  return {
    reference: text('reference'),
    customerId,
    service,
    origin: place('origin'),
    destination: place('destination'),
    weightKg,
  };
}

function nextId(db: Database, counter: keyof Database['counters'], prefix: string): string {
  db.counters[counter] += 1;
  return `${prefix}-${db.counters[counter]}`;
}

function addEvent(
  db: Database,
  shipment: Shipment,
  status: ShipmentStatus,
  at: string,
  location: Place,
): TrackingEvent {
  // Event ids are numbered per shipment so that re-seeding the same shipment (provider states on
  // two targets sharing one data file) reproduces the same ids.
  const seq = db.events.filter((e) => e.shipmentId === shipment.id).length + 1;
  const event: TrackingEvent = {
    id: `EVT-${shipment.id.replace(/^SHP-/, '')}-${seq}`,
    shipmentId: shipment.id,
    status,
    location,
    description: describeStatus(status),
    occurredAt: at,
  };
  db.events.push(event);
  return event;
}

/** Where a status is usually scanned: at the sender, at a hub on the way, or at the recipient. */
export function locationFor(shipment: Shipment, status: ShipmentStatus): Place {
  switch (status) {
    case 'in_transit':
      return {
        city: HUBS[shipment.destination.country] ?? shipment.destination.city,
        country: shipment.destination.country,
      };
    case 'out_for_delivery':
    case 'delivered':
    case 'exception':
      return shipment.destination;
    default:
      return shipment.origin;
  }
}

export function createShipment(db: Database, input: NewShipment, now: Date): Shipment {
  const at = now.toISOString();
  const promised = new Date(now.getTime() + (input.service === 'express' ? 1 : 3) * 24 * HOUR);
  promised.setUTCHours(0, 0, 0, 0);
  const shipment: Shipment = {
    id: nextId(db, 'shipment', 'SHP'),
    ...input,
    driverId: null,
    status: 'created',
    promisedBy: promised.toISOString(),
    createdAt: at,
    updatedAt: at,
  };
  db.shipments.push(shipment);
  addEvent(db, shipment, 'created', at, shipment.origin);
  return shipment;
}

export function assignDriver(db: Database, shipmentId: string, driverId: unknown, now: Date): Shipment {
  const shipment = findShipment(db, shipmentId);
  if (typeof driverId !== 'string') throw invalid('driverId', 'must be a string');
  const driver = db.drivers.find((d) => d.id === driverId);
  if (!driver) throw invalid('driverId', `no driver ${driverId}`);
  if (!driver.active) throw invalid('driverId', `driver ${driverId} is not active`);
  if (shipment.status !== 'created') {
    throw new DomainError(
      409,
      'ILLEGAL_TRANSITION',
      `shipment ${shipmentId} is ${shipment.status}; only created shipments can be assigned`,
      {
        from: shipment.status,
        to: 'assigned',
      },
    );
  }
  shipment.driverId = driverId;
  return applyStatus(db, shipment, 'assigned', now);
}

/** Moves a shipment along its lifecycle: 422 for an unknown status, 409 for an edge that does not exist. */
export function transition(db: Database, shipmentId: string, to: unknown, now: Date, location?: Place): Shipment {
  const shipment = findShipment(db, shipmentId);
  if (!isShipmentStatus(to)) throw invalid('status', `unknown status ${JSON.stringify(to)}`);
  if (to === 'assigned') throw invalid('status', 'use POST /api/shipments/{id}/assign to assign a driver');
  if (!canTransition(shipment.status, to)) {
    throw new DomainError(
      409,
      'ILLEGAL_TRANSITION',
      `shipment ${shipmentId} cannot go from ${shipment.status} to ${to}`,
      {
        from: shipment.status,
        to,
        allowed: allowedTransitions(shipment.status),
      },
    );
  }
  return applyStatus(db, shipment, to, now, location);
}

function applyStatus(db: Database, shipment: Shipment, to: ShipmentStatus, now: Date, location?: Place): Shipment {
  const at = now.toISOString();
  shipment.status = to;
  shipment.updatedAt = at;
  addEvent(db, shipment, to, at, location ?? locationFor(shipment, to));
  if (to === 'out_for_delivery' || to === 'delivered' || to === 'exception') notify(db, shipment, to, at);
  return shipment;
}

function notify(db: Database, shipment: Shipment, status: ShipmentStatus, at: string): Notification {
  const notification: Notification = {
    id: nextId(db, 'notification', 'NTF'),
    userId: shipment.customerId,
    shipmentId: shipment.id,
    channel: status === 'out_for_delivery' ? 'push' : 'email',
    message: `${shipment.reference}: ${describeStatus(status)}`,
    createdAt: at,
    readAt: null,
  };
  db.notifications.push(notification);
  return notification;
}

export interface SeedShipment {
  id: string;
  reference?: string;
  customerId?: string;
  status?: ShipmentStatus;
  service?: ServiceLevel;
  origin?: Place;
  destination?: Place;
  /** When the shipment was booked; every later status is scanned 6 hours after the previous one. */
  createdAt?: string;
}

/**
 * Puts a shipment with a consistent history into the database, replacing any shipment with the
 * same id: used by the seed data and by provider-state setup. Deterministic for the same input.
 */
export function upsertShipment(db: Database, spec: SeedShipment): Shipment {
  removeShipment(db, spec.id);
  const status = spec.status ?? 'in_transit';
  const service = spec.service ?? 'standard';
  const created = Date.parse(spec.createdAt ?? '2026-11-16T08:00:00.000Z');
  const promised = new Date(created + (service === 'express' ? 1 : 3) * 24 * HOUR);
  promised.setUTCHours(0, 0, 0, 0);
  const path = pathTo(status);
  const shipment: Shipment = {
    id: spec.id,
    reference: spec.reference ?? `ORD-${spec.id.replace(/\D/g, '') || '0'}`,
    customerId: spec.customerId ?? 'USR-2',
    driverId: path.includes('assigned') ? 'DRV-1' : null,
    status,
    service,
    origin: spec.origin ?? { city: 'Hamburg', country: 'DE' },
    destination: spec.destination ?? { city: 'Munich', country: 'DE' },
    weightKg: 2.5,
    promisedBy: promised.toISOString(),
    createdAt: new Date(created).toISOString(),
    updatedAt: new Date(created + (path.length - 1) * 6 * HOUR).toISOString(),
  };
  db.shipments.push(shipment);
  path.forEach((step, i) => {
    addEvent(db, shipment, step, new Date(created + i * 6 * HOUR).toISOString(), locationFor(shipment, step));
  });
  return shipment;
}

export function removeShipment(db: Database, id: string): void {
  db.shipments = db.shipments.filter((s) => s.id !== id);
  db.events = db.events.filter((e) => e.shipmentId !== id);
  db.notifications = db.notifications.filter((n) => n.shipmentId !== id);
  db.documents = db.documents.filter((d) => d.shipmentId !== id);
}
