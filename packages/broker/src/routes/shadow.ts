import type { FastifyInstance } from 'fastify';
import { isCutoverError, parseShadowEvidence, type ShadowEvidence } from '@cutover/core';
import { badRequest, notFound } from '../server/http-error.js';
import { NO_NUL, send, text, type RouteContext } from '../server/context.js';
import type { Hal } from '../server/hal.js';

const render = (hal: Hal, id: number, content: string, recordedAt: string) => ({
  ...(JSON.parse(content) as Record<string, unknown>),
  recordedAt,
  _links: { self: { href: hal.url('cutover', 'shadow', String(id)) } },
});

// Columns the broker filters by; the rest of the document is validated by core's reader.
const schema = {
  body: {
    type: 'object',
    required: ['format'],
    properties: {
      format: { const: 'cutover.shadow/v1' },
      provider: { type: 'string', maxLength: 255, pattern: NO_NUL },
      candidateVersion: { type: 'string', maxLength: 255, pattern: NO_NUL },
    },
  },
} as const;

/**
 * Shadow evidence (`cutover.shadow/v1`): `POST /cutover/shadow` stores a run, `GET /cutover/shadow`
 * lists runs newest first (by `provider`, `candidateVersion`), `GET /cutover/shadow/:id` reads one.
 */
export function shadowRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { storage } = ctx;

  app.post<{ Body: unknown }>('/cutover/shadow', { schema }, async (request, reply) => {
    let evidence: ShadowEvidence;
    try {
      evidence = parseShadowEvidence(request.body, 'the request body');
    } catch (error) {
      if (!isCutoverError(error)) throw error;
      throw badRequest({ [`body${String(error.details.jsonPath ?? '$').slice(1)}`]: [error.message] });
    }
    const recordedAt = new Date().toISOString();
    const content = JSON.stringify(evidence);
    const row = await storage.db
      .insertInto('shadow_runs')
      .values({
        provider: evidence.provider ?? null,
        candidate_version: evidence.candidateVersion ?? null,
        finished_at: new Date(evidence.finishedAt).toISOString(),
        content,
        created_at: recordedAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const hal = ctx.hal(request);
    reply.header('Location', hal.url('cutover', 'shadow', String(row.id)));
    return send(reply, 201, render(hal, row.id, content, recordedAt));
  });

  app.get<{ Querystring: { provider?: string; candidateVersion?: string; limit?: string } }>(
    '/cutover/shadow',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: {
            provider: text(255),
            candidateVersion: text(255),
            limit: { type: 'string', pattern: '^[0-9]{1,4}$' },
          },
        },
      },
    },
    async (request, reply) => {
      const { provider, candidateVersion } = request.query;
      let q = storage.db.selectFrom('shadow_runs').select(['id', 'content', 'created_at']);
      if (provider !== undefined) q = q.where('provider', '=', provider);
      if (candidateVersion !== undefined) q = q.where('candidate_version', '=', candidateVersion);
      const limit = Math.min(Number(request.query.limit ?? 20), 1000);
      const rows = await q.orderBy('finished_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
      const hal = ctx.hal(request);
      return send(reply, 200, {
        _embedded: { shadowRuns: rows.map((r) => render(hal, r.id, r.content, r.created_at)) },
        _links: { self: { href: hal.url('cutover', 'shadow') } },
      });
    },
  );

  app.get<{ Params: { id: string } }>('/cutover/shadow/:id', async (request, reply) => {
    const id = /^[0-9]{1,15}$/.test(request.params.id) ? Number(request.params.id) : undefined;
    const row =
      id === undefined
        ? undefined
        : await storage.db.selectFrom('shadow_runs').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound(`shadow run ${request.params.id}`);
    return send(reply, 200, render(ctx.hal(request), row.id, row.content, row.created_at));
  });
}
