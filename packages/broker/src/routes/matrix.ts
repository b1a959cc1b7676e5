import type { FastifyInstance, FastifyRequest } from 'fastify';
import { badRequest } from '../server/http-error.js';
import { send, type RouteContext } from '../server/context.js';
import type { Hal } from '../server/hal.js';
import type { Db } from '../storage/database.js';
import {
  describe,
  integrations,
  resolve,
  resolveVersionsOfMany,
  rowsBetween,
  rowsOfPairings,
  type MatrixRow,
  type MatrixSelector,
  type MatrixTarget,
  type Pairing,
  type Resolved,
} from '../storage/matrix.js';
import { pactVersionHref } from './pact-render.js';
import { verificationHref } from './verifications.js';

export interface MatrixQuery {
  selectors: MatrixSelector[];
  target: MatrixTarget;
  latestby?: 'cvp' | 'cvpv';
  ignore: { pacticipant: string; version?: string }[];
  successOnly: boolean;
  limit: number;
}

/**
 * Reads `q[][pacticipant]=Foo&q[][version]=1&q[][pacticipant]=Bar…` the way Rails does: a key
 * seen again in the current entry starts the next entry. Order matters, so this reads the raw query.
 */
export function parseEntries(url: string, name: string): Record<string, string>[] {
  const entries: Record<string, string>[] = [];
  const prefix = `${name}[][`;
  for (const [key, value] of new URLSearchParams(url.split('?')[1] ?? '')) {
    if (!key.startsWith(prefix) || !key.endsWith(']')) continue;
    const field = key.slice(prefix.length, -1);
    const current = entries[entries.length - 1];
    if (!current || field in current) entries.push({ [field]: value });
    else current[field] = value;
  }
  return entries;
}

const bool = (v: string | undefined) => (v === undefined ? undefined : v === 'true');

export function parseMatrixQuery(url: string): MatrixQuery {
  const params = new URLSearchParams(url.split('?')[1] ?? '');
  const errors: string[] = [];
  const selectors = parseEntries(url, 'q').map((e, i) => {
    if (!e.pacticipant) errors.push(`q[${i}]: a selector needs a pacticipant`);
    const s: MatrixSelector = { pacticipant: e.pacticipant ?? '' };
    if (e.version !== undefined) s.version = e.version;
    if (e.latest !== undefined) s.latest = bool(e.latest)!;
    if (e.tag !== undefined) s.tag = e.tag;
    if (e.branch !== undefined) s.branch = e.branch;
    if (e.mainBranch !== undefined) s.mainBranch = bool(e.mainBranch)!;
    if (e.environment !== undefined) s.environment = e.environment;
    return s;
  });
  if (selectors.length === 0) errors.push('Please provide 1 or more version selectors.');
  const latestby = params.get('latestby') ?? undefined;
  if (latestby !== undefined && latestby !== 'cvp' && latestby !== 'cvpv')
    errors.push(`latestby must be cvp or cvpv, not "${latestby}"`);
  const target: MatrixTarget = {};
  if (params.get('latest') !== null) target.latest = params.get('latest') === 'true';
  if (params.get('tag') !== null) target.tag = params.get('tag')!;
  if (params.get('branch') !== null) target.branch = params.get('branch')!;
  if (params.get('mainBranch') !== null) target.mainBranch = params.get('mainBranch') === 'true';
  if (params.get('environment') !== null) target.environment = params.get('environment')!;
  const ignore = parseEntries(url, 'ignore').map((e) => ({
    pacticipant: e.pacticipant ?? '',
    ...(e.version ? { version: e.version } : {}),
  }));
  const limit = Number(params.get('limit') ?? 1000);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
    errors.push('limit must be an integer between 1 and 10000');
  if (errors.length) throw badRequest(errors);
  return {
    selectors,
    target,
    ...(latestby ? { latestby: latestby as 'cvp' | 'cvpv' } : {}),
    ignore,
    successOnly: params.getAll('success[]').includes('true'),
    limit,
  };
}

/** Keeps the newest row per consumer version and provider version (cvpv) or per consumer version and provider (cvp). */
function latestBy(rows: MatrixRow[], by: 'cvp' | 'cvpv' | undefined): MatrixRow[] {
  if (!by) return rows;
  const keyOf = (r: MatrixRow) =>
    by === 'cvpv'
      ? `${r.consumerVersion.id}|${r.provider}|${r.providerVersion?.id ?? ''}`
      : `${r.consumerVersion.id}|${r.provider}`;
  const rank = (r: MatrixRow) => [r.providerVersion?.id ?? -1, r.verification?.id ?? -1] as const;
  const best = new Map<string, MatrixRow>();
  for (const r of rows) {
    const key = keyOf(r);
    const current = best.get(key);
    const [a, b] = rank(r);
    const [c, d] = current ? rank(current) : [-2, -2];
    if (!current || a > c || (a === c && b > d)) best.set(key, r);
  }
  return [...best.values()];
}

interface Computed {
  rows: (MatrixRow & { ignored: boolean })[];
  missingVersions: string[];
  descriptions: Map<string, string>;
  warnings: string[];
}

async function compute(db: Db, q: MatrixQuery): Promise<Computed> {
  const resolved: Resolved[] = [];
  const unknown: string[] = [];
  for (const s of q.selectors) {
    const r = await resolve(db, s);
    if (!r) unknown.push(s.pacticipant);
    else resolved.push(r);
  }
  if (unknown.length) throw badRequest(unknown.map((n) => `Pacticipant ${JSON.stringify(n)} not found`));
  const missingVersions = resolved
    .filter((r) => r.versions.length === 0 && r.selector.version !== undefined)
    .map((r) => `No version with number ${r.selector.version} exists for ${r.pacticipant.name}`);
  const descriptions = new Map<string, string>(resolved.map((r) => [r.pacticipant.name, r.description]));
  const warnings: string[] = [];
  let rows: MatrixRow[] = [];
  if (resolved.length === 1) {
    const [me] = resolved as [Resolved];
    const target = q.target;
    const hasTarget =
      target.environment !== undefined ||
      target.tag !== undefined ||
      target.branch !== undefined ||
      target.mainBranch ||
      target.latest;
    if (
      target.environment === undefined &&
      target.tag === undefined &&
      !target.mainBranch &&
      target.branch === undefined
    )
      warnings.push(
        'No environment was specified: the result is only whether this version is compatible with the latest version of each integrated application, not whether it can be deployed somewhere.',
      );
    const { providers, consumers } = await integrations(db, me.pacticipant);
    // Every integration at once: a few queries per request, however many integrations there are.
    const targetVersions = hasTarget
      ? await resolveVersionsOfMany(db, [...providers, ...consumers], target)
      : await resolveVersionsOfMany(db, consumers, {});
    const pairings: Pairing[] = [];
    for (const p of providers) {
      const versions = hasTarget ? targetVersions.get(p.id)! : undefined;
      descriptions.set(p.name, describe(p.name, hasTarget ? target : {}, versions ?? []));
      pairings.push({
        consumer: me.pacticipant,
        consumerVersions: me.versions,
        provider: p,
        providerVersions: versions,
      });
    }
    for (const c of consumers) {
      const versions = targetVersions.get(c.id)!;
      descriptions.set(c.name, describe(c.name, hasTarget ? target : {}, versions));
      pairings.push({
        consumer: c,
        consumerVersions: versions,
        provider: me.pacticipant,
        providerVersions: me.versions,
      });
    }
    rows.push(...(await rowsOfPairings(db, pairings)));
  } else {
    for (const a of resolved)
      for (const b of resolved)
        if (a.pacticipant.id !== b.pacticipant.id)
          rows.push(...(await rowsBetween(db, a.pacticipant, a.versions, b.pacticipant, b.versions)));
  }
  rows = latestBy(rows, q.latestby);
  const ignored = (name: string, version: string | undefined) =>
    q.ignore.some((i) => i.pacticipant === name && (i.version === undefined || i.version === version));
  return {
    rows: rows.map((r) => ({
      ...r,
      ignored: ignored(r.consumer, r.consumerVersion.number) || ignored(r.provider, r.providerVersion?.number),
    })),
    missingVersions,
    descriptions,
    warnings,
  };
}

function summarize(c: Computed) {
  const considered = c.rows.filter((r) => !r.ignored);
  const success = considered.filter((r) => r.verification?.success === true).length;
  const failedRows = considered.filter((r) => r.verification?.success === false);
  const unknownRows = considered.filter((r) => r.verification === null);
  const describeRow = (r: MatrixRow) =>
    `version ${r.consumerVersion.number} of ${r.consumer} and ${r.providerVersion ? `version ${r.providerVersion.number} of ${r.provider}` : (c.descriptions.get(r.provider) ?? r.provider)}`;
  const errors = [
    ...c.missingVersions,
    ...failedRows.map((r) => `The verification for the pact between ${describeRow(r)} failed`),
    ...unknownRows.map((r) => `There is no verified pact between ${describeRow(r)}`),
  ];
  // A failure or a missing version decides; otherwise anything unverified leaves it open (null).
  const deployable = c.missingVersions.length || failedRows.length ? false : unknownRows.length ? null : true;
  const successText = considered.length
    ? 'All required verification results are published and successful'
    : 'There are no missing dependencies';
  const reasons = deployable === true ? [successText] : errors;
  const ignoredCount = c.rows.length - considered.length;
  return {
    summary: {
      deployable,
      reason: [...c.warnings, ...reasons].join('\n'),
      success,
      failed: failedRows.length,
      unknown: unknownRows.length,
      ...(ignoredCount ? { ignored: ignoredCount } : {}),
    },
    notices: [
      ...c.warnings.map((text) => ({ type: 'warning', text })),
      ...reasons.map((text) => ({ type: deployable === true ? 'success' : 'error', text })),
    ],
  };
}

function renderRow(hal: Hal, r: MatrixRow & { ignored: boolean }) {
  const pact = { provider: r.provider, consumer: r.consumer, sha: r.sha };
  return {
    consumer: {
      name: r.consumer,
      _links: { self: { href: hal.url('pacticipants', r.consumer) } },
      version: {
        number: r.consumerVersion.number,
        _links: { self: { href: hal.url('pacticipants', r.consumer, 'versions', r.consumerVersion.number) } },
      },
    },
    provider: {
      name: r.provider,
      _links: { self: { href: hal.url('pacticipants', r.provider) } },
      version: r.providerVersion
        ? {
            number: r.providerVersion.number,
            _links: { self: { href: hal.url('pacticipants', r.provider, 'versions', r.providerVersion.number) } },
          }
        : null,
    },
    pact: { createdAt: r.pactCreatedAt, _links: { self: { href: pactVersionHref(hal, pact) } } },
    verificationResult: r.verification
      ? {
          success: r.verification.success,
          verifiedAt: r.verification.verifiedAt,
          _links: { self: { href: verificationHref(hal, pact, r.verification.id) } },
        }
      : null,
    ...(r.ignored ? { ignored: true } : {}),
  };
}

export function matrixRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const answer = async (request: FastifyRequest, q: MatrixQuery) => {
    const computed = await compute(ctx.storage.db, q);
    const hal = ctx.hal(request);
    const listed = (
      q.successOnly ? computed.rows.filter((r) => r.verification?.success === true) : computed.rows
    ).slice(0, q.limit);
    return { ...summarize(computed), matrix: listed.map((r) => renderRow(hal, r)) };
  };

  app.get('/matrix', async (request, reply) => send(reply, 200, await answer(request, parseMatrixQuery(request.url))));

  // The index's can-i-deploy relations: one pacticipant version against an environment or a tag.
  app.get<{ Querystring: { pacticipant?: string; version?: string; environment?: string; to?: string } }>(
    '/can-i-deploy',
    {
      schema: {
        querystring: {
          type: 'object',
          required: ['pacticipant', 'version'],
          properties: {
            pacticipant: { type: 'string' },
            version: { type: 'string' },
            environment: { type: 'string' },
            to: { type: 'string' },
          },
        },
      },
    },
    async (request, reply) => {
      const { pacticipant, version, environment, to } = request.query;
      if ((environment === undefined) === (to === undefined))
        throw badRequest(['give exactly one of environment and to']);
      const q: MatrixQuery = {
        selectors: [{ pacticipant: pacticipant!, version: version! }],
        target: environment !== undefined ? { environment } : { latest: true, tag: to! },
        latestby: environment !== undefined ? 'cvpv' : 'cvp',
        ignore: [],
        successOnly: false,
        limit: 1000,
      };
      return send(reply, 200, await answer(request, q));
    },
  );
}

/**
 * can-i-deploy for one pacticipant version to an environment, as the badges and the pages show it:
 * true, false, or null when something is not verified yet.
 */
export async function canIDeploy(
  db: Db,
  pacticipant: string,
  version: string,
  environment: string,
): Promise<{ deployable: boolean | null; reason: string }> {
  const computed = await compute(db, {
    selectors: [{ pacticipant, version }],
    target: { environment },
    latestby: 'cvpv',
    ignore: [],
    successOnly: false,
    limit: 1000,
  });
  const { summary } = summarize(computed);
  return { deployable: summary.deployable, reason: summary.reason };
}
