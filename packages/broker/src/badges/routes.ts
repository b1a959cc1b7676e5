import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { params, type RouteContext } from '../server/context.js';
import { HttpError } from '../server/http-error.js';
import type { Db } from '../storage/database.js';
import { findEnvironmentByName } from '../storage/environments.js';
import { findPacticipant, latestVersion } from '../storage/pacticipants.js';
import { latestPacts, type LatestFilter } from '../storage/pacts.js';
import { canIDeploy } from '../routes/matrix.js';
import { routeHistory, routeStatus } from '../cutover/routes.js';
import { badgeSvg, type BadgeColor } from './svg.js';

interface Badge {
  label: string;
  message: string;
  color: BadgeColor;
}

const UNKNOWN = (label: string): Badge => ({ label, message: 'unknown', color: 'grey' });

/**
 * Sends a badge: SVG, revalidated on every view (`no-cache` with an ETag), so a README shows the
 * status of now while an unchanged badge costs a 304. `?label=` replaces the left-hand text.
 */
function sendBadge(request: FastifyRequest, reply: FastifyReply, badge: Badge) {
  const label = (request.query as { label?: unknown }).label;
  const svg = badgeSvg(typeof label === 'string' && label !== '' ? label : badge.label, badge.message, badge.color);
  const etag = `"${createHash('sha256').update(svg).digest('base64url').slice(0, 27)}"`;
  reply
    .header('Cache-Control', 'no-cache, max-age=0')
    .header('ETag', etag)
    .header('X-Content-Type-Options', 'nosniff')
    // An SVG opened on its own must not run anything, whatever a name contained.
    .header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox");
  if (request.headers['if-none-match'] === etag) return reply.status(304).send();
  return reply.status(200).type('image/svg+xml;charset=utf-8').send(svg);
}

async function pactBadge(db: Db, provider: string, consumer: string, filter: LatestFilter): Promise<Badge> {
  const [pact] = await latestPacts(db, { provider, consumer, ...filter });
  if (!pact) return UNKNOWN('pact');
  const latest = await db
    .selectFrom('verifications')
    .select('success')
    .where('pact_version_id', '=', pact.pact_version_id)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!latest) return UNKNOWN('pact');
  return latest.success === 1
    ? { label: 'pact', message: 'verified', color: 'green' }
    : { label: 'pact', message: 'failed', color: 'red' };
}

async function deployBadge(
  db: Db,
  name: string,
  environment: string,
  filter: { tag?: string; branch?: string },
): Promise<Badge> {
  const label = `can-i-deploy to ${environment}`;
  const pacticipant = await findPacticipant(db, name);
  const version = pacticipant && (await latestVersion(db, pacticipant.id, filter));
  if (!version || !(await findEnvironmentByName(db, environment))) return UNKNOWN(label);
  try {
    const { deployable } = await canIDeploy(db, name, version.number, environment);
    if (deployable === true) return { label, message: `yes (${version.number})`, color: 'green' };
    if (deployable === false) return { label, message: `no (${version.number})`, color: 'red' };
    return { label, message: `unverified (${version.number})`, color: 'orange' };
  } catch (error) {
    if (error instanceof HttpError && error.status < 500) return UNKNOWN(label);
    throw error;
  }
}

const PARITY_COLOR: Record<string, BadgeColor> = {
  identical: 'green',
  'noise-only': 'blue',
  differs: 'red',
  unknown: 'grey',
};

async function routeBadge(db: Db, route: string, kind: 'parity' | 'weight'): Promise<Badge> {
  const label = kind === 'parity' ? `${route} parity` : `${route} on the service`;
  const last = (await routeHistory(db, route)).get(route)?.at(-1);
  if (!last) return UNKNOWN(label);
  const status = routeStatus(last.route);
  if (kind === 'parity') return { label, message: status.parity, color: PARITY_COLOR[status.parity]! };
  return {
    label,
    message: `${status.weight}%`,
    color: last.route.outcome === 'blocked' ? 'orange' : status.weight === 0 ? 'grey' : 'blue',
  };
}

/** Badges at the Pact Broker's paths (existing README badges keep working) and cutover's per route. */
export function badgeRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { db } = ctx.storage;
  type P = Record<string, string>;
  // Names that break the schema (too long, NUL) are unknown names too: a grey badge, never an error page.
  const lenient = (...keys: string[]) => ({
    schema: { params: params(...keys) },
    attachValidation: true,
  });
  const get = (path: string, keys: string[], badge: (p: P) => Promise<Badge>, fallback: string) =>
    app.get<{ Params: P }>(path, lenient(...keys), async (request, reply) =>
      sendBadge(request, reply, request.validationError ? UNKNOWN(fallback) : await badge(request.params)),
    );

  get(
    '/pacts/provider/:provider/consumer/:consumer/latest/badge',
    ['provider', 'consumer'],
    (p) => pactBadge(db, p.provider!, p.consumer!, {}),
    'pact',
  );
  get(
    '/pacts/provider/:provider/consumer/:consumer/latest/:tag/badge',
    ['provider', 'consumer', 'tag'],
    (p) => pactBadge(db, p.provider!, p.consumer!, { tag: p.tag! }),
    'pact',
  );
  get(
    '/pacts/provider/:provider/consumer/:consumer/branch/:branch/latest/badge',
    ['provider', 'consumer', 'branch'],
    (p) => pactBadge(db, p.provider!, p.consumer!, { branch: p.branch! }),
    'pact',
  );
  get(
    '/pacticipants/:pacticipant/latest-version/:tag/can-i-deploy/to/:environment/badge',
    ['pacticipant', 'tag', 'environment'],
    (p) => deployBadge(db, p.pacticipant!, p.environment!, { tag: p.tag! }),
    'can-i-deploy',
  );
  get(
    '/pacticipants/:pacticipant/branches/:branch/latest-version/can-i-deploy/to-environment/:environment/badge',
    ['pacticipant', 'branch', 'environment'],
    (p) => deployBadge(db, p.pacticipant!, p.environment!, { branch: p.branch! }),
    'can-i-deploy',
  );
  get(
    '/pacticipants/:pacticipant/latest-version/can-i-deploy/to-environment/:environment/badge',
    ['pacticipant', 'environment'],
    (p) => deployBadge(db, p.pacticipant!, p.environment!, {}),
    'can-i-deploy',
  );
  get('/cutover/routes/:route/badge/parity', ['route'], (p) => routeBadge(db, p.route!, 'parity'), 'parity');
  get('/cutover/routes/:route/badge/weight', ['route'], (p) => routeBadge(db, p.route!, 'weight'), 'weight');
}
