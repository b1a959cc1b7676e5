import { createHash } from 'node:crypto';
import type { Db } from './database.js';
import { ensurePacticipant, ensureVersion, now } from './pacticipants.js';

/** A pact publication with the names and numbers needed to render it. */
export interface PactRow {
  publication_id: number;
  consumer_id: number;
  provider_id: number;
  consumer: string;
  provider: string;
  consumer_version_id: number;
  consumer_version: string;
  pact_version_id: number;
  sha: string;
  created_at: string;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  return value;
}

/** Content hash of a pact: key order and whitespace do not matter, so the same contract hashes the same. */
export function pactSha(content: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(content)))
    .digest('hex');
}

export type PublishOutcome =
  { outcome: 'created' | 'unchanged'; row: PactRow } | { outcome: 'conflict'; existingSha: string; sha: string };

/**
 * Stores a consumer version's pact with a provider. Identical content is stored once (by hash) per
 * consumer/provider pair; the same consumer version publishing different content is a conflict,
 * because a verification of the old content would otherwise be taken for one of the new.
 */
export async function publishPact(
  db: Db,
  names: { consumer: string; provider: string; consumerVersion: string; buildUrl?: string },
  content: Record<string, unknown>,
): Promise<PublishOutcome> {
  const { pacticipant: consumer } = await ensurePacticipant(db, names.consumer);
  const { pacticipant: provider } = await ensurePacticipant(db, names.provider);
  const { version } = await ensureVersion(db, consumer.id, names.consumerVersion, names.buildUrl);
  const sha = pactSha(content);
  // The row is built from what this transaction read and wrote, not read back.
  const rowOf = (publication: { id: number; created_at: string }, pactVersionId: number): PactRow => ({
    publication_id: publication.id,
    consumer_id: consumer.id,
    provider_id: provider.id,
    consumer: consumer.name,
    provider: provider.name,
    consumer_version_id: version.id,
    consumer_version: version.number,
    pact_version_id: pactVersionId,
    sha,
    created_at: publication.created_at,
  });
  const existing = await db
    .selectFrom('pact_publications')
    .innerJoin('pact_versions', 'pact_versions.id', 'pact_publications.pact_version_id')
    .select(['pact_versions.sha', 'pact_publications.id', 'pact_publications.created_at', 'pact_versions.id as pvid'])
    .where('pact_publications.consumer_version_id', '=', version.id)
    .where('pact_publications.provider_id', '=', provider.id)
    .executeTakeFirst();
  if (existing && existing.sha !== sha) return { outcome: 'conflict', existingSha: existing.sha, sha };
  if (existing) return { outcome: 'unchanged', row: rowOf(existing, existing.pvid) };
  const at = now();
  const pactVersion =
    (await db
      .insertInto('pact_versions')
      .values({
        consumer_id: consumer.id,
        provider_id: provider.id,
        sha,
        content: JSON.stringify(content),
        created_at: at,
      })
      .onConflict((oc) => oc.columns(['consumer_id', 'provider_id', 'sha']).doNothing())
      .returning('id')
      .executeTakeFirst()) ??
    // Identical content is stored once: another version of the consumer published it already.
    (await db
      .selectFrom('pact_versions')
      .select('id')
      .where('consumer_id', '=', consumer.id)
      .where('provider_id', '=', provider.id)
      .where('sha', '=', sha)
      .executeTakeFirstOrThrow());
  await db
    .insertInto('integrations')
    .values({ consumer_id: consumer.id, provider_id: provider.id, created_at: at })
    .onConflict((oc) => oc.columns(['consumer_id', 'provider_id']).doNothing())
    .execute();
  const publication = await db
    .insertInto('pact_publications')
    .values({
      consumer_id: consumer.id,
      provider_id: provider.id,
      consumer_version_id: version.id,
      pact_version_id: pactVersion.id,
      created_at: at,
    })
    .returning(['id', 'created_at'])
    .executeTakeFirstOrThrow();
  return { outcome: 'created', row: rowOf(publication, pactVersion.id) };
}

function pactRows(db: Db) {
  return db
    .selectFrom('pact_publications as pp')
    .innerJoin('pacticipants as c', 'c.id', 'pp.consumer_id')
    .innerJoin('pacticipants as p', 'p.id', 'pp.provider_id')
    .innerJoin('versions as v', 'v.id', 'pp.consumer_version_id')
    .innerJoin('pact_versions as pv', 'pv.id', 'pp.pact_version_id')
    .select([
      'pp.id as publication_id',
      'pp.consumer_id',
      'pp.provider_id',
      'c.name as consumer',
      'p.name as provider',
      'pp.consumer_version_id',
      'v.number as consumer_version',
      'pp.pact_version_id',
      'pv.sha',
      'pp.created_at',
    ]);
}

export function pactContent(db: Db, pactVersionId: number): Promise<string> {
  return db
    .selectFrom('pact_versions')
    .select('content')
    .where('id', '=', pactVersionId)
    .executeTakeFirstOrThrow()
    .then((r) => r.content);
}

export function pactForVersion(
  db: Db,
  provider: string,
  consumer: string,
  consumerVersion: string,
): Promise<PactRow | undefined> {
  return pactRows(db)
    .where('p.name', '=', provider)
    .where('c.name', '=', consumer)
    .where('v.number', '=', consumerVersion)
    .executeTakeFirst();
}

/** The publication of a pact content (by hash), newest consumer version first. */
export function pactForSha(db: Db, provider: string, consumer: string, sha: string): Promise<PactRow | undefined> {
  return pactRows(db)
    .where('p.name', '=', provider)
    .where('c.name', '=', consumer)
    .where('pv.sha', '=', sha)
    .orderBy('pp.consumer_version_id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export interface LatestFilter {
  provider?: string;
  consumer?: string;
  tag?: string;
  branch?: string;
}

/**
 * For each consumer/provider pair (narrowed by `filter`), the pact of the newest consumer version
 * (with the tag or on the branch). The newest version per pair is found first (grouped, on the
 * publications index), then only those rows are joined: the cost follows the number of pairs, not
 * of versions.
 */
export async function latestPacts(db: Db, filter: LatestFilter = {}): Promise<PactRow[]> {
  if (
    filter.provider !== undefined &&
    filter.consumer !== undefined &&
    filter.tag === undefined &&
    filter.branch === undefined
  ) {
    // One pair (the most requested resource). The newest publication found first, as a scalar subquery on the integration index, then
    // joined: given the names to join on, PostgreSQL merge-joins the newest versions of every pair
    // (95,000 rows read for one pact at 5,000 versions per consumer).
    const idOf = (name: string) => db.selectFrom('pacticipants').select('id').where('name', '=', name);
    const newest = db
      .selectFrom('pact_publications')
      .select('id')
      .where('provider_id', '=', idOf(filter.provider))
      .where('consumer_id', '=', idOf(filter.consumer))
      .orderBy('consumer_version_id', 'desc')
      .limit(1);
    const row = await pactRows(db).where('pp.id', '=', newest).executeTakeFirst();
    return row ? [row] : [];
  }
  const idOf = async (name: string) =>
    (await db.selectFrom('pacticipants').select('id').where('name', '=', name).executeTakeFirst())?.id;
  const providerId = filter.provider === undefined ? undefined : await idOf(filter.provider);
  const consumerId = filter.consumer === undefined ? undefined : await idOf(filter.consumer);
  if (
    (filter.provider !== undefined && providerId === undefined) ||
    (filter.consumer !== undefined && consumerId === undefined)
  )
    return [];
  let latest = db
    .selectFrom('pact_publications as pp2')
    .select(['pp2.consumer_id', 'pp2.provider_id', (e) => e.fn.max('pp2.consumer_version_id').as('latest')])
    .groupBy(['pp2.consumer_id', 'pp2.provider_id']);
  if (providerId !== undefined) latest = latest.where('pp2.provider_id', '=', providerId);
  if (consumerId !== undefined) latest = latest.where('pp2.consumer_id', '=', consumerId);
  if (filter.tag !== undefined)
    latest = latest.where((e) =>
      e.exists(
        e
          .selectFrom('tags')
          .select('tags.version_id')
          .whereRef('tags.version_id', '=', 'pp2.consumer_version_id')
          .where('tags.name', '=', filter.tag!),
      ),
    );
  if (filter.branch !== undefined)
    latest = latest.where((e) =>
      e.exists(
        e
          .selectFrom('branch_versions as bv')
          .innerJoin('branches as b', 'b.id', 'bv.branch_id')
          .select('bv.version_id')
          .whereRef('bv.version_id', '=', 'pp2.consumer_version_id')
          .where('b.name', '=', filter.branch!),
      ),
    );
  const groups = await latest.execute();
  const heads = groups.map((r) => Number(r.latest)).filter((id) => Number.isFinite(id));
  if (heads.length === 0) return [];
  let query = pactRows(db).where('pp.consumer_version_id', 'in', heads);
  if (providerId !== undefined) query = query.where('pp.provider_id', '=', providerId);
  if (consumerId !== undefined) query = query.where('pp.consumer_id', '=', consumerId);
  const rows = await query.orderBy('c.name').orderBy('p.name').execute();
  // A head version may also have pacts with other providers; keep each pair's own head only.
  const wanted = new Set(groups.map((r) => `${r.consumer_id}|${r.provider_id}|${Number(r.latest)}`));
  return rows.filter((r) => wanted.has(`${r.consumer_id}|${r.provider_id}|${r.consumer_version_id}`));
}

/** Every publication of `provider`'s pacts by the given consumer versions. */
export function pactsForConsumerVersions(db: Db, providerId: number, consumerVersionIds: number[]): Promise<PactRow[]> {
  if (consumerVersionIds.length === 0) return Promise.resolve([]);
  return pactRows(db)
    .where('pp.provider_id', '=', providerId)
    .where('pp.consumer_version_id', 'in', consumerVersionIds)
    .execute();
}

export function pactsOfProvider(db: Db, providerId: number): Promise<PactRow[]> {
  return pactRows(db).where('pp.provider_id', '=', providerId).orderBy('pp.consumer_version_id', 'desc').execute();
}
