import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isCutoverError, parsePact } from '@cutover/core';
import { badRequest, conflict, notFound } from '../server/http-error.js';
import { params, send, type RouteContext } from '../server/context.js';
import { latestPacts, pactContent, pactForSha, pactForVersion, publishPact, type PactRow } from '../storage/pacts.js';
import { pactListLink, renderPact } from './pact-render.js';
import { queueContractEvents } from '../webhooks/events.js';
import { RenderedCache } from '../server/rendered-cache.js';

/** Checks that a document is a pact between the named consumer and provider; a 400 says what is wrong. */
export function checkPact(
  doc: unknown,
  names: { consumer: string; provider: string },
  field: string,
): Record<string, unknown> {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw badRequest({ [field]: ['is not a JSON object'] });
  try {
    parsePact(doc, { source: field });
  } catch (error) {
    if (isCutoverError(error)) throw badRequest({ [field]: [`is not a valid pact: ${error.message}`] });
    throw error;
  }
  const pact = doc as { consumer?: { name?: unknown }; provider?: { name?: unknown } };
  const problems: string[] = [];
  if (pact.consumer?.name !== names.consumer)
    problems.push(`consumer name ${JSON.stringify(pact.consumer?.name)} does not match "${names.consumer}"`);
  if (pact.provider?.name !== names.provider)
    problems.push(`provider name ${JSON.stringify(pact.provider?.name)} does not match "${names.provider}"`);
  if (problems.length) throw badRequest({ [field]: problems });
  const { _links: _ignored, createdAt: _createdAt, ...content } = doc as Record<string, unknown>;
  return content;
}

type PactParams = { provider: string; consumer: string; version: string };

export function pactRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { storage } = ctx;
  // Pacts are read far more often than published, and parsing and serialising them is most of a read.
  const rendered = new RenderedCache();

  async function sendPact(
    request: FastifyRequest,
    reply: Parameters<typeof send>[0],
    row: PactRow | undefined,
    what: string,
    metadata?: string,
  ) {
    if (!row) throw notFound(what);
    const hal = ctx.hal(request);
    const key = JSON.stringify([
      hal.base,
      metadata ?? null,
      row.publication_id,
      row.pact_version_id,
      row.sha,
      row.consumer,
      row.provider,
      row.consumer_version,
      row.created_at,
    ]);
    const body = await rendered.get(key, async () =>
      JSON.stringify(renderPact(hal, row, await pactContent(storage.db, row.pact_version_id), metadata)),
    );
    reply.header('X-Pact-Consumer-Version', row.consumer_version);
    return send(reply, 200, body);
  }

  app.put<{ Params: PactParams; Body: unknown }>(
    '/pacts/provider/:provider/consumer/:consumer/version/:version',
    { schema: { params: params('provider', 'consumer', 'version') } },
    async (request, reply) => {
      const { provider, consumer, version } = request.params;
      const content = checkPact(request.body, { consumer, provider }, 'body');
      const outcome = await storage.transaction(async (trx) => {
        const published = await publishPact(trx, { consumer, provider, consumerVersion: version }, content);
        if (published.outcome !== 'conflict')
          await queueContractEvents(trx, ctx.hal(request), published.row, published.outcome);
        return published;
      });
      if (outcome.outcome === 'conflict')
        throw conflict(
          `a pact for ${consumer} version ${version} with ${provider} is already published with different content; publish changed content as a new consumer version`,
        );
      return send(
        reply,
        outcome.outcome === 'created' ? 201 : 200,
        renderPact(ctx.hal(request), outcome.row, JSON.stringify(content)),
      );
    },
  );

  app.get<{ Params: PactParams }>(
    '/pacts/provider/:provider/consumer/:consumer/version/:version',
    { schema: { params: params('provider', 'consumer', 'version') } },
    async (request, reply) => {
      const { provider, consumer, version } = request.params;
      const row = await pactForVersion(storage.db, provider, consumer, version);
      return sendPact(request, reply, row, `the pact between ${consumer} version ${version} and ${provider}`);
    },
  );

  for (const path of [
    '/pacts/provider/:provider/consumer/:consumer/pact-version/:sha',
    '/pacts/provider/:provider/consumer/:consumer/pact-version/:sha/metadata/:metadata',
  ])
    app.get<{ Params: { provider: string; consumer: string; sha: string; metadata?: string } }>(
      path,
      { schema: { params: params('provider', 'consumer', 'sha') } },
      async (request, reply) => {
        const { provider, consumer, sha, metadata } = request.params;
        const row = await pactForSha(storage.db, provider, consumer, sha);
        return sendPact(request, reply, row, `pact content ${sha} between ${consumer} and ${provider}`, metadata);
      },
    );

  for (const path of [
    '/pacts/provider/:provider/consumer/:consumer/latest',
    '/pacts/provider/:provider/consumer/:consumer/latest/:tag',
  ])
    app.get<{ Params: { provider: string; consumer: string; tag?: string } }>(
      path,
      { schema: { params: params('provider', 'consumer') } },
      async (request, reply) => {
        const { provider, consumer, tag } = request.params;
        const [row] = await latestPacts(storage.db, { provider, consumer, ...(tag === undefined ? {} : { tag }) });
        return sendPact(
          request,
          reply,
          row,
          `the latest pact between ${consumer}${tag ? ` tagged "${tag}"` : ''} and ${provider}`,
        );
      },
    );

  for (const path of ['/pacts/provider/:provider/latest', '/pacts/provider/:provider/latest/:tag'])
    app.get<{ Params: { provider: string; tag?: string } }>(
      path,
      { schema: { params: params('provider') } },
      async (request, reply) => {
        const { provider, tag } = request.params;
        const hal = ctx.hal(request);
        const exists = await storage.db
          .selectFrom('pacticipants')
          .select('id')
          .where('name', '=', provider)
          .executeTakeFirst();
        if (!exists) throw notFound(`provider "${provider}"`);
        const rows = await latestPacts(storage.db, { provider, ...(tag === undefined ? {} : { tag }) });
        const links = rows.map((r) => pactListLink(hal, r));
        return send(reply, 200, {
          _links: {
            self: { href: hal.url('pacts', 'provider', provider, 'latest', ...(tag === undefined ? [] : [tag])) },
            provider: { href: hal.url('pacticipants', provider), title: provider },
            'pb:pacts': links,
            pacts: links,
          },
        });
      },
    );

  app.get('/pacts/latest', async (request, reply) => {
    const hal = ctx.hal(request);
    const rows = await latestPacts(storage.db);
    return send(reply, 200, {
      pacts: rows.map((r) => ({
        createdAt: r.created_at,
        _links: {
          self: [
            { href: hal.url('pacts', 'provider', r.provider, 'consumer', r.consumer, 'latest') },
            pactListLink(hal, r),
          ],
        },
        _embedded: {
          consumer: {
            name: r.consumer,
            _links: { self: { href: hal.url('pacticipants', r.consumer) } },
            _embedded: { version: { number: r.consumer_version } },
          },
          provider: { name: r.provider, _links: { self: { href: hal.url('pacticipants', r.provider) } } },
        },
      })),
      _links: { self: { href: hal.url('pacts', 'latest') } },
    });
  });
}
