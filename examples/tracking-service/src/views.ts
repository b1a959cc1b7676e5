import type { Database, Shipment, TrackingEvent } from '@cutover/example-logistics-monolith/fixtures';
import type { Divergence } from './divergence.js';

/**
 * The tracking read model, rewritten for the new service. It must answer exactly what the
 * monolith answers; the switchable divergences are the ways it can go wrong.
 */
const HOUR = 3_600_000;

export class ShipmentNotFound extends Error {
  constructor(readonly shipmentId: string) {
    super(`Shipment ${shipmentId} does not exist`);
  }
}

export class TrackingViews {
  constructor(private readonly bugs: ReadonlySet<Divergence>) {}

  tracking(db: Database, id: string, generatedAt: string) {
    const shipment = this.shipment(db, id);
    const events = this.events(db, shipment.id);
    const view: Record<string, unknown> = {
      shipmentId: shipment.id,
      reference: shipment.reference,
      status: shipment.status,
      service: shipment.service,
      origin: shipment.origin,
      destination: shipment.destination,
      promisedBy: this.time(shipment.promisedBy),
      eta: this.eta(shipment, events),
      lastUpdated: this.time(events[0]?.occurredAt ?? shipment.updatedAt),
      events: events.map((e) => this.event(e)),
      generatedAt,
    };
    if (this.bugs.has('leaked-field')) {
      view.customerEmail = db.users.find((u) => u.id === shipment.customerId)?.email ?? null;
    }
    return view;
  }

  eventPage(db: Database, id: string, limit: number) {
    const shipment = this.shipment(db, id);
    const events = this.events(db, shipment.id);
    return { shipmentId: shipment.id, total: events.length, events: events.slice(0, limit).map((e) => this.event(e)) };
  }

  etaView(db: Database, id: string, generatedAt: string) {
    const shipment = this.shipment(db, id);
    return {
      shipmentId: shipment.id,
      status: shipment.status,
      eta: this.eta(shipment, this.events(db, shipment.id)),
      generatedAt,
    };
  }

  private shipment(db: Database, id: string): Shipment {
    const shipment = db.shipments.find((s) => s.id === id);
    if (!shipment && !this.bugs.has('status-code')) throw new ShipmentNotFound(id);
    // The buggy build trusts the row to exist: the caller's next property access throws (a 500).
    return shipment as Shipment;
  }

  /** Newest first, ties by id (descending), as the monolith orders them. */
  private events(db: Database, shipmentId: string): TrackingEvent[] {
    return db.events
      .filter((e) => e.shipmentId === shipmentId)
      .sort((a, b) => (a.occurredAt < b.occurredAt ? 1 : a.occurredAt > b.occurredAt ? -1 : b.id.localeCompare(a.id)));
  }

  private event(e: TrackingEvent) {
    const view: Record<string, unknown> = { id: e.id, status: e.status, description: e.description };
    if (!this.bugs.has('dropped-field')) view.location = { city: e.location.city, country: e.location.country };
    view.occurredAt = this.time(e.occurredAt);
    return view;
  }

  private time(iso: string): string {
    return this.bugs.has('date-format') ? iso.replace('T', ' ').replace(/\.\d+Z$/, '') : iso;
  }

  private eta(shipment: Shipment, newestFirst: TrackingEvent[]) {
    if (['delivered', 'cancelled', 'returned'].includes(shipment.status)) return null;
    const promised = Date.parse(shipment.promisedBy);
    const latest = newestFirst[0];
    let from: number;
    let to: number;
    let confidence: 'high' | 'medium' | 'low';
    if (shipment.status === 'out_for_delivery' && latest) {
      from = Date.parse(latest.occurredAt);
      to = from + 4 * HOUR;
      confidence = 'high';
    } else if (shipment.status === 'exception') {
      from = promised + 33 * HOUR;
      to = from + 9 * HOUR;
      confidence = 'low';
    } else {
      from = promised + 9 * HOUR;
      to = promised + (shipment.service === 'express' ? 12 : 18) * HOUR;
      confidence = shipment.status === 'in_transit' ? 'high' : 'medium';
    }
    const estimate = this.time(new Date(from + (to - from) / 2).toISOString());
    return {
      [this.bugs.has('renamed-field') ? 'estimatedDeliveryAt' : 'estimatedDelivery']: estimate,
      window: { from: this.time(new Date(from).toISOString()), to: this.time(new Date(to).toISOString()) },
      confidence,
    };
  }
}
