import { DomainError, invalid } from '../domain/errors.js';
import type { Place, Shipment } from '../domain/model.js';
import { allowedTransitions, isShipmentStatus } from '../domain/state-machine.js';
import { assignDriver, createShipment, findShipment, parseNewShipment, transition } from '../domain/shipments.js';
import type { Router } from '../http/kit.js';
import { sendJson } from '../http/kit.js';
import type { App } from './app.js';
import { limitParam, requireUser } from './app.js';
import type { AccessClaims } from '../auth.js';

export const shipmentView = (s: Shipment) => ({ ...s, allowedTransitions: allowedTransitions(s.status) });

/** Customers see their own shipments only; for anyone else's, they get the same 404 as for a missing one. */
function visible(claims: AccessClaims, shipment: Shipment): Shipment {
  if (claims.role === 'customer' && shipment.customerId !== claims.sub) {
    throw new DomainError(404, 'SHIPMENT_NOT_FOUND', `Shipment ${shipment.id} does not exist`, { id: shipment.id });
  }
  return shipment;
}

function parseLocation(value: unknown): Place | undefined {
  if (value === undefined) return undefined;
  const v = value as Partial<Place> | null;
  if (
    typeof v !== 'object' ||
    v === null ||
    typeof v.city !== 'string' ||
    typeof v.country !== 'string' ||
    !/^[A-Z]{2}$/.test(v.country)
  ) {
    throw invalid('location', 'must be { "city": string, "country": ISO alpha-2 code }');
  }
  return { city: v.city, country: v.country };
}

export function shipmentRoutes(router: Router, app: App): void {
  router.on('GET', '/api/shipments', async (ctx) => {
    const claims = requireUser(app, ctx);
    const status = ctx.query.get('status');
    if (status !== null && !isShipmentStatus(status)) throw invalid('status', `unknown status "${status}"`);
    const limit = limitParam(ctx.query, 20, 100);
    const db = await app.store.read();
    const items = db.shipments
      .filter((s) => claims.role !== 'customer' || s.customerId === claims.sub)
      .filter((s) => status === null || s.status === status)
      .sort((a, b) => a.id.localeCompare(b.id));
    sendJson(ctx, 200, { total: items.length, items: items.slice(0, limit).map(shipmentView) });
  });

  router.on('POST', '/api/shipments', async (ctx) => {
    requireUser(app, ctx, ['dispatcher']);
    const body = await ctx.body();
    const shipment = await app.store.update((db) => createShipment(db, parseNewShipment(db, body), app.now()));
    sendJson(ctx, 201, shipmentView(shipment), { Location: `/api/shipments/${shipment.id}` });
  });

  router.on('GET', '/api/shipments/:id', async (ctx) => {
    const claims = requireUser(app, ctx);
    const db = await app.store.read();
    sendJson(ctx, 200, shipmentView(visible(claims, findShipment(db, ctx.params.id!))));
  });

  router.on('POST', '/api/shipments/:id/assign', async (ctx) => {
    requireUser(app, ctx, ['dispatcher']);
    const body = (await ctx.body()) as { driverId?: unknown } | undefined;
    const shipment = await app.store.update((db) => assignDriver(db, ctx.params.id!, body?.driverId, app.now()));
    sendJson(ctx, 200, shipmentView(shipment));
  });

  router.on('POST', '/api/shipments/:id/transitions', async (ctx) => {
    requireUser(app, ctx, ['dispatcher', 'driver']);
    const body = (await ctx.body()) as { status?: unknown; location?: unknown } | undefined;
    const location = parseLocation(body?.location);
    const shipment = await app.store.update((db) => transition(db, ctx.params.id!, body?.status, app.now(), location));
    sendJson(ctx, 200, shipmentView(shipment));
  });
}
