import { DomainError, invalid } from '../domain/errors.js';
import type { DocumentKind, DocumentMeta } from '../domain/model.js';
import { findShipment } from '../domain/shipments.js';
import type { Router } from '../http/kit.js';
import { sendJson } from '../http/kit.js';
import type { App } from './app.js';
import { requireUser } from './app.js';

const KINDS: readonly DocumentKind[] = ['shipping_label', 'commercial_invoice', 'proof_of_delivery'];

/**
 * Document generation metadata. Generation itself is asynchronous (it was the CPU hog the seeds
 * isolate first): a request answers 202 with a pending document that becomes ready later.
 */
export function documentRoutes(router: Router, app: App): void {
  router.on('GET', '/api/shipments/:id/documents', async (ctx) => {
    requireUser(app, ctx, ['dispatcher', 'customer']);
    const db = await app.store.read();
    const shipment = findShipment(db, ctx.params.id!);
    sendJson(ctx, 200, { shipmentId: shipment.id, items: db.documents.filter((d) => d.shipmentId === shipment.id) });
  });

  router.on('POST', '/api/shipments/:id/documents', async (ctx) => {
    requireUser(app, ctx, ['dispatcher']);
    const body = (await ctx.body()) as { kind?: unknown } | undefined;
    const kind = body?.kind;
    if (typeof kind !== 'string' || !(KINDS as readonly string[]).includes(kind)) {
      throw invalid('kind', `must be one of ${KINDS.join(', ')}`);
    }
    const doc = await app.store.update((db) => {
      const shipment = findShipment(db, ctx.params.id!);
      if (kind === 'proof_of_delivery' && shipment.status !== 'delivered') {
        throw new DomainError(
          409,
          'NOT_DELIVERED',
          `shipment ${shipment.id} is ${shipment.status}; proof of delivery needs a delivered shipment`,
        );
      }
      db.counters.document += 1;
      const created: DocumentMeta = {
        id: `DOC-${db.counters.document}`,
        shipmentId: shipment.id,
        kind: kind as DocumentKind,
        status: 'pending',
        contentType: 'application/pdf',
        pages: null,
        sizeBytes: null,
        requestedAt: app.now().toISOString(),
        readyAt: null,
      };
      db.documents.push(created);
      return created;
    });
    scheduleGeneration(app, doc.id);
    sendJson(ctx, 202, doc, { Location: `/api/documents/${doc.id}` });
  });

  router.on('GET', '/api/documents/:id', async (ctx) => {
    requireUser(app, ctx, ['dispatcher', 'customer']);
    const db = await app.store.read();
    const doc = db.documents.find((d) => d.id === ctx.params.id);
    if (!doc)
      throw new DomainError(404, 'DOCUMENT_NOT_FOUND', `Document ${ctx.params.id} does not exist`, {
        id: ctx.params.id,
      });
    sendJson(ctx, 200, doc);
  });
}

function scheduleGeneration(app: App, id: string): void {
  const timer = setTimeout(() => {
    app.timers.delete(timer);
    void app.store
      .update((db) => {
        const doc = db.documents.find((d) => d.id === id);
        if (!doc || doc.status !== 'pending') return;
        doc.status = 'ready';
        doc.pages = doc.kind === 'commercial_invoice' ? 2 : 1;
        doc.sizeBytes = 40_000 + doc.pages * 25_000;
        doc.readyAt = app.now().toISOString();
      })
      .catch(() => undefined);
  }, app.documentDelayMs);
  timer.unref();
  app.timers.add(timer);
}
