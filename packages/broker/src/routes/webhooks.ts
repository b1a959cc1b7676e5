import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { badRequest, notFound } from '../server/http-error.js';
import { params, send, type RouteContext } from '../server/context.js';
import type { Hal } from '../server/hal.js';
import type { Db } from '../storage/database.js';
import { findPacticipant, now } from '../storage/pacticipants.js';
import { WEBHOOK_EVENTS } from '../webhooks/events.js';
import type { HostAllowList } from '../webhooks/hosts.js';
import { keepMaskedSecrets, maskRequest, type WebhookRequest } from '../webhooks/template.js';

const EVENTS: readonly string[] = WEBHOOK_EVENTS;

interface WebhookDoc {
  description?: string;
  enabled?: boolean;
  consumer?: { name?: string; label?: string };
  provider?: { name?: string; label?: string };
  events?: { name?: string }[];
  request?: {
    method?: string;
    url?: string;
    headers?: Record<string, string>;
    body?: unknown;
    username?: string;
    password?: string;
  };
}

const body = { type: 'object', maxProperties: 20 } as const;

/**
 * Checks a webhook the way the Pact Broker reports it: errors keyed by field (`request.url`,
 * `consumer.name`, …). The URL's host must be one the operator allows, written out (not a
 * template variable), so an event's values can never choose where the request goes.
 */
async function validate(
  db: Db,
  hosts: HostAllowList,
  doc: WebhookDoc,
): Promise<{ consumerId: number | null; providerId: number | null }> {
  const errors: Record<string, string[]> = {};
  const add = (field: string, message: string) => (errors[field] ??= []).push(message);
  if (doc.description !== undefined && (typeof doc.description !== 'string' || doc.description.length > 1000))
    add('description', 'must be a string of at most 1000 characters');
  if (!Array.isArray(doc.events) || doc.events.length === 0) add('events', 'must name at least one event');
  else
    doc.events.forEach((e, i) => {
      if (!e || typeof e.name !== 'string' || !EVENTS.includes(e.name))
        add(`events[${i}].name`, `must be one of ${EVENTS.join(', ')}`);
    });
  const request = doc.request;
  if (!request || typeof request !== 'object') add('request', 'is missing');
  else {
    if (typeof request.method !== 'string' || !/^[A-Za-z]{1,10}$/.test(request.method))
      add('request.method', 'must be an HTTP method');
    let url: URL | undefined;
    try {
      url = typeof request.url === 'string' ? new URL(request.url) : undefined;
    } catch {
      url = undefined;
    }
    if (!url || !['http:', 'https:'].includes(url.protocol)) add('request.url', 'must be an http or https URL');
    else if (/^[a-z]+:\/\/[^/?#]*\$\{/i.test(request.url!))
      add('request.url', 'must name its host literally, not with a template variable');
    else {
      const refusal = hosts.refusal(url);
      if (refusal) add('request.url', refusal);
    }
    if (
      request.headers !== undefined &&
      (typeof request.headers !== 'object' || Object.values(request.headers).some((v) => typeof v !== 'string'))
    )
      add('request.headers', 'must map header names to strings');
  }
  const ids: { consumerId: number | null; providerId: number | null } = { consumerId: null, providerId: null };
  for (const role of ['consumer', 'provider'] as const) {
    const who = doc[role];
    if (who === undefined) continue;
    if (typeof who !== 'object' || who === null) add(role, 'must be an object with a name or a label');
    else if (who.name !== undefined) {
      const p = typeof who.name === 'string' ? await findPacticipant(db, who.name) : undefined;
      if (!p) add(`${role}.name`, `no pacticipant named ${JSON.stringify(who.name)} exists`);
      else ids[role === 'consumer' ? 'consumerId' : 'providerId'] = p.id;
    } else if (typeof who.label !== 'string') add(role, 'must have a name or a label');
  }
  if (Object.keys(errors).length) throw badRequest(errors);
  return ids;
}

function render(hal: Hal, uuid: string, doc: WebhookDoc, createdAt: string, updatedAt: string) {
  const request = maskRequest(doc.request ?? {});
  return {
    uuid,
    description: doc.description ?? null,
    ...(doc.consumer ? { consumer: doc.consumer } : {}),
    ...(doc.provider ? { provider: doc.provider } : {}),
    enabled: doc.enabled ?? true,
    events: doc.events,
    // The password, credential headers and URL credentials are kept for delivery and never shown.
    request,
    createdAt,
    updatedAt,
    _links: {
      self: { href: hal.url('webhooks', uuid), title: doc.description ?? 'Webhook' },
      'pb:webhooks': { href: hal.url('webhooks'), title: 'All webhooks' },
    },
  };
}

export function webhookRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { storage } = ctx;

  async function create(doc: WebhookDoc, uuid: string) {
    return storage.transaction(async (trx) => {
      const ids = await validate(trx, ctx.webhookHosts, doc);
      const existing = await trx
        .selectFrom('webhooks')
        .select(['created_at', 'content'])
        .where('uuid', '=', uuid)
        .executeTakeFirst();
      if (existing && doc.request)
        doc.request = keepMaskedSecrets(
          doc.request as WebhookRequest,
          (JSON.parse(existing.content) as WebhookDoc).request as WebhookRequest | undefined,
        );
      const at = now();
      const values = {
        consumer_id: ids.consumerId,
        provider_id: ids.providerId,
        content: JSON.stringify(doc),
        updated_at: at,
      };
      if (existing) await trx.updateTable('webhooks').set(values).where('uuid', '=', uuid).execute();
      else
        await trx
          .insertInto('webhooks')
          .values({ ...values, uuid, created_at: at })
          .execute();
      return { created: !existing, createdAt: existing?.created_at ?? at, updatedAt: at };
    });
  }

  app.post<{ Body: WebhookDoc }>('/webhooks', { schema: { body } }, async (request, reply) => {
    const uuid = randomUUID();
    const r = await create(request.body, uuid);
    const hal = ctx.hal(request);
    reply.header('Location', hal.url('webhooks', uuid));
    return send(reply, 201, render(hal, uuid, request.body, r.createdAt, r.updatedAt));
  });

  app.post<{ Params: { provider: string; consumer: string }; Body: WebhookDoc }>(
    '/webhooks/provider/:provider/consumer/:consumer',
    { schema: { params: params('provider', 'consumer'), body } },
    async (request, reply) => {
      const { provider, consumer } = request.params;
      for (const name of [provider, consumer])
        if (!(await findPacticipant(storage.db, name))) throw notFound(`pacticipant "${name}"`);
      const doc = { ...request.body, provider: { name: provider }, consumer: { name: consumer } };
      const uuid = randomUUID();
      const r = await create(doc, uuid);
      const hal = ctx.hal(request);
      reply.header('Location', hal.url('webhooks', uuid));
      return send(reply, 201, render(hal, uuid, doc, r.createdAt, r.updatedAt));
    },
  );

  app.put<{ Params: { uuid: string }; Body: WebhookDoc }>(
    '/webhooks/:uuid',
    {
      schema: {
        params: { type: 'object', properties: { uuid: { type: 'string', pattern: '^[A-Za-z0-9_-]{16,64}$' } } },
        body,
      },
    },
    async (request, reply) => {
      const r = await create(request.body, request.params.uuid);
      return send(
        reply,
        r.created ? 201 : 200,
        render(ctx.hal(request), request.params.uuid, request.body, r.createdAt, r.updatedAt),
      );
    },
  );

  app.get('/webhooks', async (request, reply) => {
    const hal = ctx.hal(request);
    const rows = await storage.db.selectFrom('webhooks').selectAll().orderBy('created_at').execute();
    return send(reply, 200, {
      _links: {
        self: { href: hal.url('webhooks'), title: 'Webhooks' },
        'pb:webhooks': rows.map((w) => {
          const doc = JSON.parse(w.content) as WebhookDoc;
          return { href: hal.url('webhooks', w.uuid), title: doc.description ?? 'Webhook' };
        }),
      },
    });
  });

  app.get<{ Params: { uuid: string } }>(
    '/webhooks/:uuid',
    { schema: { params: params('uuid') } },
    async (request, reply) => {
      const w = await storage.db
        .selectFrom('webhooks')
        .selectAll()
        .where('uuid', '=', request.params.uuid)
        .executeTakeFirst();
      if (!w) throw notFound(`webhook ${request.params.uuid}`);
      return send(
        reply,
        200,
        render(ctx.hal(request), w.uuid, JSON.parse(w.content) as WebhookDoc, w.created_at, w.updated_at),
      );
    },
  );

  app.delete<{ Params: { uuid: string } }>(
    '/webhooks/:uuid',
    { schema: { params: params('uuid') } },
    async (request, reply) => {
      const deleted = await storage.db
        .deleteFrom('webhooks')
        .where('uuid', '=', request.params.uuid)
        .executeTakeFirst();
      if (Number(deleted.numDeletedRows) === 0) throw notFound(`webhook ${request.params.uuid}`);
      return reply.status(204).send();
    },
  );
}
