import type { FastifyInstance } from 'fastify';
import { notFound } from '../server/http-error.js';
import { name, params, send, text, type RouteContext } from '../server/context.js';
import type { Hal } from '../server/hal.js';
import { latestPacts, pactForSha, type PactRow } from '../storage/pacts.js';
import {
  findVerification,
  recordVerification,
  type VerificationInput,
  type VerificationRow,
} from '../storage/verifications.js';
import { pactVersionHref } from './pact-render.js';
import { queueVerificationEvents } from '../webhooks/events.js';

const body = {
  type: 'object',
  required: ['success', 'providerApplicationVersion'],
  properties: {
    success: { type: 'boolean' },
    providerApplicationVersion: name,
    providerVersionBranch: name,
    providerVersionTags: { type: 'array', items: name, maxItems: 100 },
    buildUrl: text(2048),
    testResults: { type: 'array' },
    verifiedBy: { type: 'object' },
  },
} as const;

export function verificationHref(hal: Hal, pact: Pick<PactRow, 'provider' | 'consumer' | 'sha'>, id: number): string {
  return `${pactVersionHref(hal, pact)}/verification-results/${id}`;
}

export function renderVerification(hal: Hal, pact: PactRow, v: VerificationRow) {
  const doc = JSON.parse(v.content) as Record<string, unknown>;
  return {
    ...doc,
    providerName: pact.provider,
    providerApplicationVersion: v.provider_version,
    success: v.success === 1,
    verificationDate: v.verified_at,
    _links: {
      self: { href: verificationHref(hal, pact, v.id), title: 'Verification result' },
      'pb:pact-version': { href: pactVersionHref(hal, pact), title: 'Pact' },
      'pb:provider-version': {
        href: hal.url('pacticipants', pact.provider, 'versions', v.provider_version),
        name: v.provider_version,
      },
    },
  };
}

type Params = { provider: string; consumer: string; sha: string; metadata?: string };

export function verificationRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { storage } = ctx;
  for (const path of [
    '/pacts/provider/:provider/consumer/:consumer/pact-version/:sha/verification-results',
    '/pacts/provider/:provider/consumer/:consumer/pact-version/:sha/metadata/:metadata/verification-results',
  ])
    app.post<{ Params: Params; Body: VerificationInput }>(
      path,
      { schema: { params: params('provider', 'consumer', 'sha'), body } },
      async (request, reply) => {
        const { provider, consumer, sha } = request.params;
        const hal = ctx.hal(request);
        const result = await storage.transaction(async (trx) => {
          const pact = await pactForSha(trx, provider, consumer, sha);
          if (!pact) throw notFound(`pact content ${sha} between ${consumer} and ${provider}`);
          const verification = await recordVerification(trx, pact, request.body);
          await queueVerificationEvents(trx, hal, pact, verification, request.body.buildUrl);
          return { pact, verification };
        });
        const location = verificationHref(hal, result.pact, result.verification.id);
        reply.header('Location', location);
        return send(reply, 201, renderVerification(hal, result.pact, result.verification));
      },
    );

  app.get<{ Params: Params & { id: string } }>(
    '/pacts/provider/:provider/consumer/:consumer/pact-version/:sha/verification-results/:id',
    { schema: { params: params('provider', 'consumer', 'sha', 'id') } },
    async (request, reply) => {
      const { provider, consumer, sha, id } = request.params;
      const pact = await pactForSha(storage.db, provider, consumer, sha);
      const v = pact && /^[0-9]{1,15}$/.test(id) ? await findVerification(storage.db, Number(id)) : undefined;
      if (!pact || !v || v.pact_version_id !== pact.pact_version_id) throw notFound(`verification result ${id}`);
      return send(reply, 200, renderVerification(ctx.hal(request), pact, v));
    },
  );

  // The latest verification of the latest pact, as `pb:latest-verification-results` links it.
  app.get<{ Params: { provider: string; consumer: string } }>(
    '/pacts/provider/:provider/consumer/:consumer/latest/verification-results',
    { schema: { params: params('provider', 'consumer') } },
    async (request, reply) => {
      const { provider, consumer } = request.params;
      const [pact] = await latestPacts(storage.db, { provider, consumer });
      const latest =
        pact &&
        (await storage.db
          .selectFrom('verifications')
          .select('id')
          .where('pact_version_id', '=', pact.pact_version_id)
          .orderBy('id', 'desc')
          .limit(1)
          .executeTakeFirst());
      const v = latest && (await findVerification(storage.db, latest.id));
      if (!pact || !v) throw notFound(`a verification of the latest pact between ${consumer} and ${provider}`);
      return send(reply, 200, renderVerification(ctx.hal(request), pact, v));
    },
  );
}
