import type { FastifyInstance } from 'fastify';
import { notFound } from '../server/http-error.js';
import { params, send, type RouteContext } from '../server/context.js';
import type { Db } from '../storage/database.js';

export interface DeliveryLogEntry {
  id: number;
  event: string;
  status: string;
  attempts: number;
  nextAttemptAt: string | null;
  createdAt: string;
  log: {
    attempt: number;
    startedAt: string;
    durationMs: number;
    statusCode: number | null;
    error: string | null;
    request: unknown;
    responseBody: string | null;
  }[];
}

/** A webhook's deliveries, newest first, each with every attempt (requests as sent, credentials masked). */
export async function deliveryLog(db: Db, webhookUuid: string, limit = 50): Promise<DeliveryLogEntry[]> {
  const deliveries = await db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('webhook_uuid', '=', webhookUuid)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  const attempts = deliveries.length
    ? await db
        .selectFrom('webhook_attempts')
        .selectAll()
        .where(
          'delivery_id',
          'in',
          deliveries.map((d) => d.id),
        )
        .orderBy('attempt')
        .execute()
    : [];
  return deliveries.map((d) => ({
    id: d.id,
    event: d.event,
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: d.status === 'pending' ? d.next_attempt_at : null,
    createdAt: d.created_at,
    log: attempts
      .filter((a) => a.delivery_id === d.id)
      .map((a) => ({
        attempt: a.attempt,
        startedAt: a.started_at,
        durationMs: a.duration_ms,
        statusCode: a.status_code,
        error: a.error,
        request: JSON.parse(a.request) as unknown,
        responseBody: a.response_body,
      })),
  }));
}

export function deliveryRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get<{ Params: { uuid: string } }>(
    '/webhooks/:uuid/deliveries',
    { schema: { params: params('uuid') } },
    async (request, reply) => {
      const { uuid } = request.params;
      const exists = await ctx.storage.db
        .selectFrom('webhooks')
        .select('uuid')
        .where('uuid', '=', uuid)
        .executeTakeFirst();
      const deliveries = await deliveryLog(ctx.storage.db, uuid);
      if (!exists && deliveries.length === 0) throw notFound(`webhook ${uuid}`);
      const hal = ctx.hal(request);
      return send(reply, 200, {
        deliveries,
        _links: {
          self: { href: hal.url('webhooks', uuid, 'deliveries'), title: 'Webhook deliveries' },
          'pb:webhook': { href: hal.url('webhooks', uuid) },
        },
      });
    },
  );
}
