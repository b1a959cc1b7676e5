import { DomainError } from '../domain/errors.js';
import type { Router } from '../http/kit.js';
import { sendJson } from '../http/kit.js';
import type { App } from './app.js';
import { limitParam, requireUser } from './app.js';

export function notificationRoutes(router: Router, app: App): void {
  router.on('GET', '/api/notifications', async (ctx) => {
    const claims = requireUser(app, ctx);
    const unreadOnly = ctx.query.get('unread') === 'true';
    const limit = limitParam(ctx.query, 20, 100);
    const db = await app.store.read();
    const mine = db.notifications
      .filter((n) => n.userId === claims.sub && (!unreadOnly || n.readAt === null))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
    sendJson(ctx, 200, { unread: mine.filter((n) => n.readAt === null).length, items: mine.slice(0, limit) });
  });

  router.on('POST', '/api/notifications/:id/read', async (ctx) => {
    const claims = requireUser(app, ctx);
    const notification = await app.store.update((db) => {
      const found = db.notifications.find((n) => n.id === ctx.params.id && n.userId === claims.sub);
      if (!found)
        throw new DomainError(404, 'NOTIFICATION_NOT_FOUND', `Notification ${ctx.params.id} does not exist`, {
          id: ctx.params.id,
        });
      // Marking twice keeps the first read time: the call is idempotent.
      found.readAt ??= app.now().toISOString();
      return found;
    });
    sendJson(ctx, 200, notification);
  });
}
