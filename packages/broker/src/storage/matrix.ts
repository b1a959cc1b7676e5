import type { ExpressionBuilder } from 'kysely';
import type { Db } from './database.js';
import type { Database } from './schema.js';
import { findPacticipant, latestVersion, type Pacticipant } from './pacticipants.js';

/** One `q[]` of a matrix query. */
export interface MatrixSelector {
  pacticipant: string;
  version?: string;
  latest?: boolean;
  tag?: string;
  branch?: string;
  mainBranch?: boolean;
  environment?: string;
}

/** Where the pacticipant is going: the other side of a single-selector (can-i-deploy) query. */
export interface MatrixTarget {
  latest?: boolean;
  tag?: string;
  branch?: string;
  mainBranch?: boolean;
  environment?: string;
}

export interface VersionRef {
  id: number;
  number: string;
}

export interface Resolved {
  selector: MatrixSelector;
  pacticipant: Pacticipant;
  versions: VersionRef[];
  /** Words for reasons: "version 1.2.3 of Foo", "the latest version of Foo with tag prod". */
  description: string;
}

export interface MatrixRow {
  consumer: string;
  consumerVersion: VersionRef;
  provider: string;
  providerVersion: VersionRef | null;
  pactVersionId: number;
  sha: string;
  pactCreatedAt: string;
  verification: { id: number; success: boolean; verifiedAt: string } | null;
}

async function versionsIn(db: Db, p: Pacticipant, environment: string): Promise<VersionRef[]> {
  const deployed = db
    .selectFrom('deployed_versions as d')
    .innerJoin('environments as e', 'e.uuid', 'd.environment_uuid')
    .innerJoin('versions as v', 'v.id', 'd.version_id')
    .select(['v.id', 'v.number'])
    .where('d.pacticipant_id', '=', p.id)
    .where('e.name', '=', environment)
    .where('d.undeployed_at', 'is', null);
  const released = db
    .selectFrom('released_versions as r')
    .innerJoin('environments as e', 'e.uuid', 'r.environment_uuid')
    .innerJoin('versions as v', 'v.id', 'r.version_id')
    .select(['v.id', 'v.number'])
    .where('r.pacticipant_id', '=', p.id)
    .where('e.name', '=', environment)
    .where('r.support_ended_at', 'is', null);
  const rows = await deployed.union(released).execute();
  return rows.sort((a, b) => a.id - b.id);
}

/** The versions a selector (or, for an integration partner, a target) means. */
export async function resolveVersions(
  db: Db,
  p: Pacticipant,
  s: Omit<MatrixSelector, 'pacticipant'>,
): Promise<VersionRef[]> {
  if (s.version !== undefined) {
    const v = await db
      .selectFrom('versions')
      .select(['id', 'number'])
      .where('pacticipant_id', '=', p.id)
      .where('number', '=', s.version)
      .executeTakeFirst();
    return v ? [v] : [];
  }
  if (s.environment !== undefined) return versionsIn(db, p, s.environment);
  const branch = s.mainBranch ? (p.main_branch ?? undefined) : s.branch;
  if (s.mainBranch && branch === undefined) return [];
  if (s.latest || branch !== undefined || s.mainBranch) {
    if (!s.latest && branch !== undefined && s.tag === undefined) {
      // A branch means its newest version, as the Pact Broker reads `q[][branch]`.
      const v = await latestVersion(db, p.id, { branch });
      return v ? [{ id: v.id, number: v.number }] : [];
    }
    const v = await latestVersion(db, p.id, {
      ...(s.tag !== undefined ? { tag: s.tag } : {}),
      ...(branch !== undefined ? { branch } : {}),
    });
    return v ? [{ id: v.id, number: v.number }] : [];
  }
  let q = db
    .selectFrom('versions')
    .select(['versions.id', 'versions.number'])
    .where('versions.pacticipant_id', '=', p.id);
  if (s.tag !== undefined)
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('tags')
          .select('tags.version_id')
          .whereRef('tags.version_id', '=', 'versions.id')
          .where('tags.name', '=', s.tag!),
      ),
    );
  return q.orderBy('versions.id').execute();
}

export function describe(name: string, s: Omit<MatrixSelector, 'pacticipant'>, versions: VersionRef[]): string {
  const found = versions.length === 1 ? ` (${versions[0]!.number})` : '';
  if (s.version !== undefined) return `version ${s.version} of ${name}`;
  if (s.environment !== undefined) return `the version(s) of ${name} in ${s.environment}${found}`;
  if (s.mainBranch) return `the latest version of ${name} from its main branch${found}`;
  if (s.branch !== undefined) return `the latest version of ${name} from branch ${s.branch}${found}`;
  if (s.latest && s.tag !== undefined) return `the latest version of ${name} with tag ${s.tag}${found}`;
  if (s.latest) return `the latest version of ${name}${found}`;
  if (s.tag !== undefined) return `all versions of ${name} with tag ${s.tag}`;
  return `all versions of ${name}`;
}

export async function resolve(db: Db, s: MatrixSelector): Promise<Resolved | undefined> {
  const pacticipant = await findPacticipant(db, s.pacticipant);
  if (!pacticipant) return undefined;
  const versions = await resolveVersions(db, pacticipant, s);
  return { selector: s, pacticipant, versions, description: describe(pacticipant.name, s, versions) };
}

/** Splits an `in (…)` list so no query exceeds the engines' bound-parameter limits. */
function chunks<T>(list: T[], size = 5000): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/**
 * `resolveVersions` for many pacticipants at once (a can-i-deploy target applied to every
 * integration partner): one or two queries in all, not a few per pacticipant.
 */
export async function resolveVersionsOfMany(
  db: Db,
  partners: Pacticipant[],
  s: Omit<MatrixSelector, 'pacticipant' | 'version'>,
): Promise<Map<number, VersionRef[]>> {
  const out = new Map<number, VersionRef[]>(partners.map((p) => [p.id, []]));
  if (partners.length === 0) return out;
  const add = (rows: { pacticipant_id: number; id: number; number: string }[]) => {
    for (const r of rows.sort((a, b) => a.id - b.id)) out.get(r.pacticipant_id)!.push({ id: r.id, number: r.number });
    return out;
  };
  const ids = partners.map((p) => p.id);
  if (s.environment !== undefined) {
    const rows = [];
    for (const chunk of chunks(ids)) {
      const deployed = db
        .selectFrom('deployed_versions as d')
        .innerJoin('environments as e', 'e.uuid', 'd.environment_uuid')
        .innerJoin('versions as v', 'v.id', 'd.version_id')
        .select(['v.pacticipant_id', 'v.id', 'v.number'])
        .where('d.pacticipant_id', 'in', chunk)
        .where('e.name', '=', s.environment)
        .where('d.undeployed_at', 'is', null);
      const released = db
        .selectFrom('released_versions as r')
        .innerJoin('environments as e', 'e.uuid', 'r.environment_uuid')
        .innerJoin('versions as v', 'v.id', 'r.version_id')
        .select(['v.pacticipant_id', 'v.id', 'v.number'])
        .where('r.pacticipant_id', 'in', chunk)
        .where('e.name', '=', s.environment)
        .where('r.support_ended_at', 'is', null);
      rows.push(...(await deployed.union(released).execute()));
    }
    return add(rows);
  }
  const tagged = (tag: string | undefined) => (eb: ExpressionBuilder<Database, 'versions'>) =>
    tag === undefined
      ? eb.lit(true)
      : eb.exists(
          eb
            .selectFrom('tags')
            .select('tags.version_id')
            .whereRef('tags.version_id', '=', 'versions.id')
            .where('tags.name', '=', tag),
        );
  const onBranch = (branch: string | undefined) => (eb: ExpressionBuilder<Database, 'versions'>) =>
    branch === undefined
      ? eb.lit(true)
      : eb.exists(
          eb
            .selectFrom('branch_versions')
            .innerJoin('branches', 'branches.id', 'branch_versions.branch_id')
            .select('branch_versions.version_id')
            .whereRef('branch_versions.version_id', '=', 'versions.id')
            .where('branches.name', '=', branch),
        );
  if (s.latest || s.branch !== undefined || s.mainBranch) {
    // The newest version of each partner; with mainBranch each partner has its own branch.
    const byBranch = new Map<string | undefined, number[]>();
    for (const p of partners) {
      const branch = s.mainBranch ? (p.main_branch ?? undefined) : s.branch;
      if (s.mainBranch && branch === undefined) continue;
      byBranch.set(branch, [...(byBranch.get(branch) ?? []), p.id]);
    }
    const rows = [];
    for (const [branch, group] of byBranch)
      for (const chunk of chunks(group)) {
        const newest = db
          .selectFrom('versions')
          .select((eb) => eb.fn.max('versions.id').as('id'))
          .where('versions.pacticipant_id', 'in', chunk)
          .where(tagged(s.tag))
          .where(onBranch(branch))
          .groupBy('versions.pacticipant_id');
        rows.push(
          ...(await db
            .selectFrom('versions')
            .select(['pacticipant_id', 'id', 'number'])
            .where('id', 'in', newest)
            .execute()),
        );
      }
    return add(rows);
  }
  const rows = [];
  for (const chunk of chunks(ids))
    rows.push(
      ...(await db
        .selectFrom('versions')
        .select(['pacticipant_id', 'id', 'number'])
        .where('versions.pacticipant_id', 'in', chunk)
        .where(tagged(s.tag))
        .execute()),
    );
  return add(rows);
}

/** A consumer's versions and a provider's (all of the provider's versions when undefined), as `rowsBetween` takes them. */
export interface Pairing {
  consumer: Pacticipant;
  consumerVersions: VersionRef[];
  provider: Pacticipant;
  providerVersions: VersionRef[] | undefined;
}

/**
 * Rows for the pacts of `consumerVersions` with `providerId`, each joined with the verifications
 * of that pact content by `providerVersions` (all provider versions when undefined). A pact with
 * no such verification is one row with no provider version.
 */
export function rowsBetween(
  db: Db,
  consumer: Pacticipant,
  consumerVersions: VersionRef[],
  provider: Pacticipant,
  providerVersions: VersionRef[] | undefined,
): Promise<MatrixRow[]> {
  return rowsOfPairings(db, [{ consumer, consumerVersions, provider, providerVersions }]);
}

/**
 * `rowsBetween` for many pairings at once, in pairing order: one query for the pacts and one for
 * their verifications however many integrations there are (can-i-deploy of a pacticipant with
 * dozens of them). Within a pairing, pacts come by consumer version, verifications by id.
 */
export async function rowsOfPairings(db: Db, pairings: Pairing[]): Promise<MatrixRow[]> {
  const live = pairings.filter((p) => p.consumerVersions.length > 0);
  if (live.length === 0) return [];
  const consumerVersionIds = [...new Set(live.flatMap((p) => p.consumerVersions.map((v) => v.id)))];
  const providerIds = [...new Set(live.map((p) => p.provider.id))];
  const pacts = [];
  for (const chunk of chunks(consumerVersionIds))
    pacts.push(
      ...(await db
        .selectFrom('pact_publications as pp')
        .innerJoin('pact_versions as pv', 'pv.id', 'pp.pact_version_id')
        .innerJoin('versions as v', 'v.id', 'pp.consumer_version_id')
        .select([
          'pp.provider_id',
          'pp.consumer_version_id',
          'v.number',
          'pp.pact_version_id',
          'pv.sha',
          'pp.created_at',
        ])
        .where('pp.provider_id', 'in', providerIds)
        .where('pp.consumer_version_id', 'in', chunk)
        .execute()),
    );
  pacts.sort((a, b) => a.consumer_version_id - b.consumer_version_id);
  // Only pairings that take every provider version, or some provider versions, narrow the query.
  const everyProviderVersion = live.some((p) => !p.providerVersions);
  const providerVersionIds = everyProviderVersion
    ? undefined
    : [...new Set(live.flatMap((p) => p.providerVersions!.map((v) => v.id)))];
  const pactVersionIds = [...new Set(pacts.map((p) => p.pact_version_id))];
  const verifications = [];
  if (pactVersionIds.length > 0 && (providerVersionIds === undefined || providerVersionIds.length > 0))
    for (const chunk of chunks(pactVersionIds)) {
      let vq = db
        .selectFrom('verifications as vr')
        .innerJoin('versions as v', 'v.id', 'vr.provider_version_id')
        .select([
          'vr.id',
          'vr.provider_id',
          'vr.pact_version_id',
          'vr.success',
          'vr.verified_at',
          'v.id as version_id',
          'v.number',
        ])
        .where('vr.provider_id', 'in', providerIds)
        .where('vr.pact_version_id', 'in', chunk);
      if (providerVersionIds) vq = vq.where('vr.provider_version_id', 'in', providerVersionIds);
      verifications.push(...(await vq.execute()));
    }
  verifications.sort((a, b) => a.id - b.id);
  const verificationsOf = new Map<string, typeof verifications>();
  for (const v of verifications) {
    const key = `${v.provider_id}|${v.pact_version_id}`;
    verificationsOf.set(key, [...(verificationsOf.get(key) ?? []), v]);
  }
  const rows: MatrixRow[] = [];
  for (const { consumer, consumerVersions, provider, providerVersions } of live) {
    const mineVersions = new Set(consumerVersions.map((v) => v.id));
    const allowed = providerVersions && new Set(providerVersions.map((v) => v.id));
    for (const p of pacts) {
      if (p.provider_id !== provider.id || !mineVersions.has(p.consumer_version_id)) continue;
      const base = {
        consumer: consumer.name,
        consumerVersion: { id: p.consumer_version_id, number: p.number },
        provider: provider.name,
        pactVersionId: p.pact_version_id,
        sha: p.sha,
        pactCreatedAt: p.created_at,
      };
      if (providerVersions?.length === 0) {
        rows.push({ ...base, providerVersion: null, verification: null });
        continue;
      }
      const mine = (verificationsOf.get(`${provider.id}|${p.pact_version_id}`) ?? []).filter(
        (v) => !allowed || allowed.has(v.version_id),
      );
      if (providerVersions) {
        // Each required provider version without a verification of this content is a row of its own.
        for (const pv of providerVersions)
          if (!mine.some((v) => v.version_id === pv.id))
            rows.push({ ...base, providerVersion: pv, verification: null });
      } else if (mine.length === 0) rows.push({ ...base, providerVersion: null, verification: null });
      for (const v of mine)
        rows.push({
          ...base,
          providerVersion: { id: v.version_id, number: v.number },
          verification: { id: v.id, success: Number(v.success) === 1, verifiedAt: v.verified_at },
        });
    }
  }
  return rows;
}

/** Pacticipants `p` has pacts with, as consumer (its providers) and as provider (its consumers). */
export async function integrations(
  db: Db,
  p: Pacticipant,
): Promise<{ providers: Pacticipant[]; consumers: Pacticipant[] }> {
  const providers = await db
    .selectFrom('pacticipants')
    .selectAll()
    .where('id', 'in', db.selectFrom('integrations').select('provider_id').where('consumer_id', '=', p.id))
    .orderBy('name')
    .execute();
  const consumers = await db
    .selectFrom('pacticipants')
    .selectAll()
    .where('id', 'in', db.selectFrom('integrations').select('consumer_id').where('provider_id', '=', p.id))
    .orderBy('name')
    .execute();
  return { providers, consumers };
}
