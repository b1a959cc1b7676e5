import { eventsOf, findShipment } from '../domain/shipments.js';
import type { Database, Shipment, TrackingEvent } from '../domain/model.js';
import { estimateDelivery, latestEvent, sortEvents } from '../domain/tracking.js';
import type { Router } from '../http/kit.js';
import { preciseNow, sendJson } from '../http/kit.js';
import type { App } from './app.js';
import { limitParam } from './app.js';

// Tracking is public (the tracking page needs only the shipment id) and tolerates 30 s staleness.
const CACHE = { 'Cache-Control': 'public, max-age=30' };

const eventView = (e: TrackingEvent) => ({
  id: e.id,
  status: e.status,
  description: e.description,
  location: { city: e.location.city, country: e.location.country },
  occurredAt: e.occurredAt,
});

export function trackingView(db: Database, shipment: Shipment) {
  const events = eventsOf(db, shipment.id);
  return {
    shipmentId: shipment.id,
    reference: shipment.reference,
    status: shipment.status,
    service: shipment.service,
    origin: shipment.origin,
    destination: shipment.destination,
    promisedBy: shipment.promisedBy,
    eta: estimateDelivery(shipment, events),
    lastUpdated: latestEvent(events)?.occurredAt ?? shipment.updatedAt,
    events: sortEvents(events).map(eventView),
    generatedAt: preciseNow(),
  };
}

export function trackingRoutes(router: Router, app: App): void {
  router.on('GET', '/api/tracking/:id', async (ctx) => {
    const db = await app.store.read();
    sendJson(ctx, 200, trackingView(db, findShipment(db, ctx.params.id!)), CACHE);
  });

  router.on('GET', '/api/tracking/:id/events', async (ctx) => {
    const limit = limitParam(ctx.query, 50, 200);
    const db = await app.store.read();
    const shipment = findShipment(db, ctx.params.id!);
    const events = sortEvents(eventsOf(db, shipment.id));
    sendJson(
      ctx,
      200,
      { shipmentId: shipment.id, total: events.length, events: events.slice(0, limit).map(eventView) },
      CACHE,
    );
  });

  router.on('GET', '/api/tracking/:id/eta', async (ctx) => {
    const db = await app.store.read();
    const shipment = findShipment(db, ctx.params.id!);
    sendJson(
      ctx,
      200,
      {
        shipmentId: shipment.id,
        status: shipment.status,
        eta: estimateDelivery(shipment, eventsOf(db, shipment.id)),
        generatedAt: preciseNow(),
      },
      CACHE,
    );
  });
}
