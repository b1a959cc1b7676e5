import type { FastifyInstance } from 'fastify';
import { badRequest, conflict } from '../server/http-error.js';
import { name, send, text, type RouteContext } from '../server/context.js';
import { addBranchVersion, addTag, ensurePacticipant, ensureVersion } from '../storage/pacticipants.js';
import { publishPact } from '../storage/pacts.js';
import { pactListLink } from './pact-render.js';
import { checkPact } from './pacts.js';
import { queueContractEvents } from '../webhooks/events.js';

interface Contract {
  consumerName: string;
  providerName: string;
  specification: string;
  contentType: string;
  content: string;
}

interface PublishBody {
  pacticipantName: string;
  pacticipantVersionNumber: string;
  branch?: string;
  tags?: string[];
  buildUrl?: string;
  contracts: Contract[];
}

const schema = {
  body: {
    type: 'object',
    required: ['pacticipantName', 'pacticipantVersionNumber', 'contracts'],
    properties: {
      pacticipantName: name,
      pacticipantVersionNumber: name,
      branch: name,
      tags: { type: 'array', items: name, maxItems: 100 },
      buildUrl: text(2048),
      contracts: {
        type: 'array',
        minItems: 1,
        maxItems: 1000,
        items: {
          type: 'object',
          required: ['consumerName', 'providerName', 'specification', 'contentType', 'content'],
          properties: {
            consumerName: name,
            providerName: name,
            specification: { type: 'string', enum: ['pact'] },
            contentType: { type: 'string', pattern: '^application/(.+\\+)?json' },
            content: { type: 'string', minLength: 1 },
            onConflict: { type: 'string', enum: ['overwrite', 'merge'] },
          },
        },
      },
    },
  },
} as const;

function decode(contract: Contract, index: number): Record<string, unknown> {
  const field = `contracts[${index}].content`;
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(contract.content, 'base64').toString('utf8'));
  } catch {
    throw badRequest({ [field]: ['is not base64-encoded JSON'] });
  }
  return checkPact(doc, { consumer: contract.consumerName, provider: contract.providerName }, field);
}

/**
 * `POST /contracts/publish`: a consumer version, its branch and tags, and its pacts, in one
 * transaction. The same version publishing changed content is a 409 and nothing is stored.
 */
export function publishRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.post<{ Body: PublishBody }>('/contracts/publish', { schema }, async (request, reply) => {
    const body = request.body;
    const hal = ctx.hal(request);
    const contents = body.contracts.map((c, i) => {
      if (c.consumerName !== body.pacticipantName)
        throw badRequest({
          [`contracts[${i}].consumerName`]: [
            `"${c.consumerName}" does not match pacticipantName "${body.pacticipantName}"`,
          ],
        });
      return decode(c, i);
    });
    const result = await ctx.storage.transaction(async (trx) => {
      const { pacticipant } = await ensurePacticipant(trx, body.pacticipantName);
      const { version, created } = await ensureVersion(
        trx,
        pacticipant.id,
        body.pacticipantVersionNumber,
        body.buildUrl,
      );
      if (body.branch) await addBranchVersion(trx, pacticipant.id, body.branch, version.id);
      for (const tag of body.tags ?? []) await addTag(trx, version.id, tag);
      const rows = [];
      for (const [i, contract] of body.contracts.entries()) {
        const outcome = await publishPact(
          trx,
          { consumer: contract.consumerName, provider: contract.providerName, consumerVersion: version.number },
          contents[i]!,
        );
        if (outcome.outcome === 'conflict')
          throw conflict(
            `Cannot change the content of the pact for ${contract.consumerName} version ${version.number} and provider ${contract.providerName}: it is already published with different content. Publish changed content with a new consumer version.`,
          );
        await queueContractEvents(trx, hal, outcome.row, outcome.outcome);
        rows.push(outcome);
      }
      return { created, rows };
    });
    const versionHref = hal.url('pacticipants', body.pacticipantName, 'versions', body.pacticipantVersionNumber);
    const described = [
      body.branch ? `branch ${body.branch}` : undefined,
      body.tags?.length ? `tags ${body.tags.join(', ')}` : undefined,
    ].filter(Boolean);
    const logs = [
      {
        level: 'info',
        message: `${result.created ? 'Created' : 'Updated'} ${body.pacticipantName} version ${body.pacticipantVersionNumber}${described.length ? ` with ${described.join(' and ')}` : ''}`,
      },
      ...result.rows.map((r) => ({
        level: 'info',
        message: `Pact ${r.outcome === 'created' ? 'published' : 'unchanged (identical content already published)'} for ${r.row.consumer} version ${r.row.consumer_version} and provider ${r.row.provider}.`,
      })),
    ];
    const pacticipantLink = {
      href: hal.url('pacticipants', body.pacticipantName),
      name: body.pacticipantName,
      title: 'Pacticipant',
    };
    const versionLink = { href: versionHref, name: body.pacticipantVersionNumber, title: 'Pacticipant version' };
    return send(reply, 200, {
      notices: logs.map((l) => ({ type: l.level, text: l.message })),
      // The older form of the notices; the Rust client still requires it, deprecation note included.
      logs: logs.map((l) => ({ ...l, deprecationWarning: 'Replaced by notices' })),
      _embedded: {
        pacticipant: { name: body.pacticipantName, _links: { self: pacticipantLink } },
        version: { number: body.pacticipantVersionNumber, _links: { self: versionLink } },
      },
      _links: {
        'pb:pacticipant': pacticipantLink,
        'pb:pacticipant-version': versionLink,
        'pb:pacticipant-version-tags': (body.tags ?? []).map((t) => ({
          name: t,
          title: 'Tag',
          href: hal.url('pacticipants', body.pacticipantName, 'versions', body.pacticipantVersionNumber, 'tags', t),
        })),
        'pb:contracts': result.rows.map((r) => ({ ...pactListLink(hal, r.row), title: 'Pact' })),
      },
    });
  });
}
