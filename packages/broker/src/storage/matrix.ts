import type { Db } from './database.js';
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

/**
 * Rows for the pacts of `consumerVersions` with `providerId`, each joined with the verifications
 * of that pact content by `providerVersions` (all provider versions when undefined). A pact with
 * no such verification is one row with no provider version.
 */
export async function rowsBetween(
  db: Db,
  consumer: Pacticipant,
  consumerVersions: VersionRef[],
  provider: Pacticipant,
  providerVersions: VersionRef[] | undefined,
): Promise<MatrixRow[]> {
  if (consumerVersions.length === 0) return [];
  const pacts = await db
    .selectFrom('pact_publications as pp')
    .innerJoin('pact_versions as pv', 'pv.id', 'pp.pact_version_id')
    .innerJoin('versions as v', 'v.id', 'pp.consumer_version_id')
    .select(['pp.consumer_version_id', 'v.number', 'pp.pact_version_id', 'pv.sha', 'pp.created_at'])
    .where('pp.provider_id', '=', provider.id)
    .where(
      'pp.consumer_version_id',
      'in',
      consumerVersions.map((v) => v.id),
    )
    .execute();
  if (pacts.length === 0) return [];
  if (providerVersions && providerVersions.length === 0)
    return pacts.map((p) => ({
      consumer: consumer.name,
      consumerVersion: { id: p.consumer_version_id, number: p.number },
      provider: provider.name,
      providerVersion: null,
      pactVersionId: p.pact_version_id,
      sha: p.sha,
      pactCreatedAt: p.created_at,
      verification: null,
    }));
  let vq = db
    .selectFrom('verifications as vr')
    .innerJoin('versions as v', 'v.id', 'vr.provider_version_id')
    .select(['vr.id', 'vr.pact_version_id', 'vr.success', 'vr.verified_at', 'v.id as version_id', 'v.number'])
    .where('vr.provider_id', '=', provider.id)
    .where('vr.pact_version_id', 'in', [...new Set(pacts.map((p) => p.pact_version_id))]);
  if (providerVersions)
    vq = vq.where(
      'vr.provider_version_id',
      'in',
      providerVersions.map((v) => v.id),
    );
  const verifications = await vq.orderBy('vr.id').execute();
  const rows: MatrixRow[] = [];
  for (const p of pacts) {
    const base = {
      consumer: consumer.name,
      consumerVersion: { id: p.consumer_version_id, number: p.number },
      provider: provider.name,
      pactVersionId: p.pact_version_id,
      sha: p.sha,
      pactCreatedAt: p.created_at,
    };
    const mine = verifications.filter((v) => v.pact_version_id === p.pact_version_id);
    if (providerVersions) {
      // Each required provider version without a verification of this content is a row of its own.
      for (const pv of providerVersions)
        if (!mine.some((v) => v.version_id === pv.id)) rows.push({ ...base, providerVersion: pv, verification: null });
    } else if (mine.length === 0) rows.push({ ...base, providerVersion: null, verification: null });
    for (const v of mine)
      rows.push({
        ...base,
        providerVersion: { id: v.version_id, number: v.number },
        verification: { id: v.id, success: Number(v.success) === 1, verifiedAt: v.verified_at },
      });
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
