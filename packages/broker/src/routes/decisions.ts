import type { FastifyInstance } from 'fastify';
import { notFound } from '../server/http-error.js';
import { NO_NUL, name, send, text, type RouteContext } from '../server/context.js';
import type { Hal } from '../server/hal.js';
import { queueDecisionEvents } from '../webhooks/events.js';

interface Decision {
  format: 'cutover.gate-decision/v1';
  decidedAt: string;
  candidateVersion?: string | null;
  outcome: string;
  routes: { name: string; outcome: string; nextWeight?: number }[];
  [key: string]: unknown;
}

// The contract `cutover gate` posts (packages/gate/README.md): the decision JSON as written by --json.
const schema = {
  body: {
    type: 'object',
    required: ['format', 'decidedAt', 'outcome', 'routes'],
    properties: {
      format: { const: 'cutover.gate-decision/v1' },
      decidedAt: { type: 'string', format: 'date-time' },
      candidateVersion: { type: ['string', 'null'], maxLength: 255, pattern: NO_NUL },
      outcome: text(64),
      routes: {
        type: 'array',
        maxItems: 1000,
        items: {
          type: 'object',
          required: ['name', 'outcome'],
          properties: {
            name,
            outcome: text(64),
            nextWeight: { type: 'number', minimum: 0, maximum: 100 },
          },
        },
      },
    },
  },
} as const;

const render = (hal: Hal, id: number, content: string, recordedAt: string) => ({
  ...(JSON.parse(content) as Record<string, unknown>),
  recordedAt,
  _links: { self: { href: hal.url('cutover', 'decisions', String(id)) } },
});

export function decisionRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { storage } = ctx;

  app.post<{ Body: Decision }>('/cutover/decisions', { schema }, async (request, reply) => {
    const d = request.body;
    const recordedAt = new Date().toISOString();
    const hal = ctx.hal(request);
    const decidedAt = new Date(d.decidedAt).toISOString();
    const id = await storage.transaction(async (trx) => {
      const row = await trx
        .insertInto('decisions')
        .values({
          candidate_version: d.candidateVersion ?? null,
          outcome: d.outcome,
          decided_at: decidedAt,
          content: JSON.stringify(d),
          created_at: recordedAt,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (d.routes.length)
        await trx
          .insertInto('decision_routes')
          .values(
            d.routes.map((r) => ({
              decision_id: row.id,
              route: r.name,
              outcome: r.outcome,
              next_weight: r.nextWeight ?? null,
              decided_at: decidedAt,
            })),
          )
          .execute();
      await queueDecisionEvents(trx, d, hal.url('cutover', 'decisions', String(row.id)));
      return row.id;
    });
    reply.header('Location', hal.url('cutover', 'decisions', String(id)));
    return send(reply, 201, render(hal, id, JSON.stringify(d), recordedAt));
  });

  /** The history, newest first, optionally of one route and/or one candidate version. */
  app.get<{ Querystring: { route?: string; candidateVersion?: string; limit?: string } }>(
    '/cutover/decisions',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: {
            route: text(255),
            candidateVersion: text(255),
            limit: { type: 'string', pattern: '^[0-9]{1,4}$' },
          },
        },
      },
    },
    async (request, reply) => {
      const { route, candidateVersion } = request.query;
      let q = storage.db.selectFrom('decisions as d').select(['d.id', 'd.content', 'd.created_at']);
      if (route !== undefined)
        q = q.where((eb) =>
          eb.exists(
            eb
              .selectFrom('decision_routes as r')
              .select('r.decision_id')
              .whereRef('r.decision_id', '=', 'd.id')
              .where('r.route', '=', route),
          ),
        );
      if (candidateVersion !== undefined) q = q.where('d.candidate_version', '=', candidateVersion);
      const limit = Math.min(Number(request.query.limit ?? 100), 1000);
      const rows = await q.orderBy('d.decided_at', 'desc').orderBy('d.id', 'desc').limit(limit).execute();
      const hal = ctx.hal(request);
      return send(reply, 200, {
        // HAL, as the gate's README documents it and listDecisions() reads it.
        _embedded: { decisions: rows.map((r) => render(hal, r.id, r.content, r.created_at)) },
        _links: { self: { href: hal.url('cutover', 'decisions') } },
      });
    },
  );

  app.get<{ Params: { id: string } }>('/cutover/decisions/:id', async (request, reply) => {
    const id = /^[0-9]{1,15}$/.test(request.params.id) ? Number(request.params.id) : undefined;
    const row =
      id === undefined
        ? undefined
        : await storage.db.selectFrom('decisions').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound(`decision ${request.params.id}`);
    return send(reply, 200, render(ctx.hal(request), row.id, row.content, row.created_at));
  });
}
