import type { FastifyInstance } from 'fastify';
import { badRequest, notFound } from '../server/http-error.js';
import { name, params, send, type RouteContext } from '../server/context.js';
import { findPacticipant } from '../storage/pacticipants.js';
import type { PactRow } from '../storage/pacts.js';
import { select, wipCandidates, type ConsumerVersionSelector } from '../storage/selection.js';
import { verifiedSuccessfully } from '../storage/verifications.js';
import { pactTitle, pactVersionHref } from './pact-render.js';

interface Body {
  consumerVersionSelectors?: ConsumerVersionSelector[];
  providerVersionBranch?: string;
  providerVersionTags?: string[];
  includePendingStatus?: boolean;
  includeWipPactsSince?: string;
}

const selectorSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    mainBranch: { type: 'boolean' },
    branch: name,
    matchingBranch: { type: 'boolean' },
    fallbackBranch: name,
    tag: name,
    fallbackTag: name,
    latest: { type: 'boolean' },
    consumer: name,
    deployed: { type: 'boolean' },
    released: { type: 'boolean' },
    deployedOrReleased: { type: 'boolean' },
    environment: name,
  },
} as const;

const schema = {
  params: params('provider'),
  body: {
    type: 'object',
    properties: {
      consumerVersionSelectors: { type: 'array', items: selectorSchema, maxItems: 100 },
      providerVersionBranch: name,
      providerVersionTags: { type: 'array', items: name, maxItems: 100 },
      includePendingStatus: { type: 'boolean' },
      includeWipPactsSince: { type: 'string', format: 'date-time' },
    },
  },
} as const;

/** The combinations the Pact Broker refuses, refused the same way (400 naming the selector). */
function checkSelectors(selectors: ConsumerVersionSelector[]): void {
  const errors: Record<string, string[]> = {};
  selectors.forEach((s, i) => {
    const problems: string[] = [];
    if (s.fallbackTag !== undefined && !(s.tag !== undefined && s.latest))
      problems.push('fallbackTag can only be used with tag and latest');
    if (s.fallbackBranch !== undefined && s.branch === undefined && !s.matchingBranch)
      problems.push('fallbackBranch can only be used with branch or matchingBranch');
    if (s.branch !== undefined && s.tag !== undefined) problems.push('branch and tag cannot be used together');
    if (s.mainBranch && (s.branch !== undefined || s.tag !== undefined))
      problems.push('mainBranch cannot be used with branch or tag');
    if ([s.deployed, s.released, s.deployedOrReleased].filter(Boolean).length > 1)
      problems.push('use only one of deployed, released and deployedOrReleased');
    if (problems.length) errors[`consumerVersionSelectors[${i}]`] = problems;
  });
  if (Object.keys(errors).length) throw badRequest(errors);
}

function describeProviderScope(provider: string, branch?: string, tags?: string[]) {
  if (branch !== undefined) return `a version of ${provider} with branch '${branch}'`;
  if (tags?.length) return `a version of ${provider} with tag ${tags.map((t) => `'${t}'`).join(' or ')}`;
  return `any version of ${provider}`;
}

export function forVerificationRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { storage } = ctx;
  // The clients GET this resource first and POST their selectors to its `self` link.
  app.get<{ Params: { provider: string } }>(
    '/pacts/provider/:provider/for-verification',
    { schema: { params: params('provider') } },
    async (request, reply) => {
      const hal = ctx.hal(request);
      if (!(await findPacticipant(storage.db, request.params.provider)))
        throw notFound(`provider "${request.params.provider}"`);
      return send(reply, 200, {
        _links: {
          self: {
            href: hal.url('pacts', 'provider', request.params.provider, 'for-verification'),
            title: 'Pacts to be verified',
          },
          'pb:provider': { href: hal.url('pacticipants', request.params.provider), name: request.params.provider },
        },
      });
    },
  );
  app.post<{ Params: { provider: string }; Body: Body | undefined }>(
    '/pacts/provider/:provider/for-verification',
    { schema },
    async (request, reply) => {
      const body = request.body ?? {};
      const hal = ctx.hal(request);
      const selectors = body.consumerVersionSelectors ?? [];
      checkSelectors(selectors);
      const provider = await findPacticipant(storage.db, request.params.provider);
      const entries = new Map<number, { row: PactRow; reasons: string[]; wip: boolean }>();
      if (provider) {
        for (const selector of selectors.length ? selectors : [{}]) {
          for (const { row, reason } of await select(storage.db, provider, selector, body.providerVersionBranch)) {
            const entry = entries.get(row.pact_version_id) ?? { row, reasons: [], wip: false };
            // The newest consumer version represents content shared by several.
            if (row.consumer_version_id > entry.row.consumer_version_id) entry.row = row;
            if (!entry.reasons.includes(reason)) entry.reasons.push(reason);
            entries.set(row.pact_version_id, entry);
          }
        }
      }
      const scope = { branch: body.providerVersionBranch, tags: body.providerVersionTags };
      const wantsPending = body.includePendingStatus === true;
      const pendingOf = async (row: PactRow) => !(await verifiedSuccessfully(storage.db, row.pact_version_id, scope));
      const pending = new Map<number, boolean>();
      if (wantsPending) for (const [id, e] of entries) pending.set(id, await pendingOf(e.row));

      // Work in progress: a new pact nobody selected, not yet verified by this provider branch.
      if (provider && body.includeWipPactsSince && wantsPending && (scope.branch !== undefined || scope.tags?.length)) {
        const since = new Date(body.includeWipPactsSince).toISOString();
        for (const row of await wipCandidates(
          storage.db,
          provider.name,
          since,
          scope.branch !== undefined ? 'branch' : 'tag',
        )) {
          if (entries.has(row.pact_version_id) || !(await pendingOf(row))) continue;
          entries.set(row.pact_version_id, {
            row,
            reasons: [
              `work in progress: ${row.consumer} (${row.consumer_version}), published since ${body.includeWipPactsSince}`,
            ],
            wip: true,
          });
          pending.set(row.pact_version_id, true);
        }
      }

      const providerScope = describeProviderScope(request.params.provider, scope.branch, scope.tags);
      const pacts = [...entries.values()].map(({ row, reasons, wip }) => {
        const href = pactVersionHref(hal, row);
        const isPending = pending.get(row.pact_version_id);
        const notices = [
          {
            when: 'before_verification',
            text: `The pact at ${href} is being verified because the pact content belongs to the consumer version${reasons.length > 1 ? 's' : ''} matching the following criteri${reasons.length > 1 ? 'a' : 'on'}:\n${reasons.map((r) => `    * ${r}`).join('\n')}`,
          },
          ...(isPending === undefined
            ? []
            : isPending
              ? [
                  {
                    when: 'before_verification',
                    text: `This pact is in pending state for this version of ${request.params.provider} because a successful verification result for ${providerScope} has not yet been published. If this verification fails, it will not cause the overall build to fail. Read more at https://docs.pact.io/pending`,
                  },
                  {
                    when: 'after_verification:success_true_published_true',
                    text: `This pact is no longer in pending state for ${providerScope}, as a successful verification result has been published.`,
                  },
                  {
                    when: 'after_verification:success_false_published_true',
                    text: `This pact is still in pending state for ${providerScope} as the successful verification results have not yet been published.`,
                  },
                ]
              : [
                  {
                    when: 'before_verification',
                    text: `This pact has previously been successfully verified by ${providerScope}. If this verification fails, it will fail the build. Read more at https://docs.pact.io/pending`,
                  },
                ]),
        ];
        return {
          shortDescription: reasons.join(', '),
          verificationProperties: {
            ...(isPending === undefined ? {} : { pending: isPending }),
            ...(wip ? { wip: true } : {}),
            notices,
          },
          _links: { self: { href, name: pactTitle(row) } },
        };
      });
      return send(reply, 200, {
        _embedded: { pacts },
        _links: {
          self: {
            href: hal.url('pacts', 'provider', request.params.provider, 'for-verification'),
            title: 'Pacts to be verified',
          },
        },
      });
    },
  );
}
