import { sql } from 'kysely';
import { UsageError } from '@cutover/core';
import type { Db, Storage } from './database.js';

/** What `cutover broker clean` keeps. */
export interface RetentionRules {
  /** Versions kept per branch, per tag and among the versions that have neither (at least 1). */
  keepLatest: number;
  /** Versions created less than this many milliseconds ago are kept too. */
  keepNewerThanMs?: number;
}

export interface CleanedVersion {
  pacticipant: string;
  number: string;
  branches: string[];
  createdAt: string;
}

/** What a clean deleted (or, for a dry run, would delete). */
export interface CleanReport {
  dryRun: boolean;
  /** Versions left after the clean. */
  keptVersions: number;
  deleted: {
    /** Oldest first per pacticipant, pacticipants by name. */
    versions: CleanedVersion[];
    /** Pact contents no kept version publishes any more. */
    pactContents: number;
    pactPublications: number;
    verifications: number;
    /** Past deployment and release records of deleted versions (current ones are never deleted). */
    deployments: number;
    releases: number;
    /** Consumer/provider pairs left without any pact. */
    integrations: number;
  };
}

const CHUNK = 500;

export function checkRetentionRules(rules: RetentionRules): void {
  if (!Number.isInteger(rules.keepLatest) || rules.keepLatest < 1)
    throw new UsageError(`keep-latest must be a whole number of at least 1, not ${String(rules.keepLatest)}`);
  if (rules.keepNewerThanMs !== undefined && (!Number.isFinite(rules.keepNewerThanMs) || rules.keepNewerThanMs < 0))
    throw new UsageError(`keep-newer-than must be a positive duration, not ${String(rules.keepNewerThanMs)}`);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The ids of the `n` latest (highest id) versions of each group. */
function latestOfEachGroup(groups: Map<string | number, number[]>, n: number, into: Set<number>): void {
  for (const ids of groups.values()) for (const id of ids.sort((a, b) => b - a).slice(0, n)) into.add(id);
}

/**
 * Deletes old pacticipant versions in one transaction, keeping
 * - the latest `keepLatest` versions of every branch, of every tag of a pacticipant, and of the
 *   versions of a pacticipant that have neither a branch nor a tag;
 * - versions newer than `keepNewerThanMs`;
 * - every version currently deployed or released (supported);
 * - what kept versions need: the pact content they published, and for each kept pact content the
 *   provider version of its latest verification and of its latest successful verification per
 *   provider branch and tag (so the matrix, can-i-deploy and pending status of kept versions stay as
 *   they were), repeated until nothing more is needed.
 * Everything hanging off a deleted version goes with it: its tags and branch memberships, its
 * pact publications, verifications it made, its past deployment and release records; then pact
 * content no kept version publishes, with its verifications, and integrations left without a pact.
 * Pacticipants, environments, webhooks and gate decisions (the audit trail of traffic shifts) are
 * never deleted. `dryRun` computes the same report and changes nothing.
 */
export async function cleanStorage(
  storage: Storage,
  rules: RetentionRules,
  options: { dryRun?: boolean; now?: Date } = {},
): Promise<CleanReport> {
  checkRetentionRules(rules);
  const dryRun = options.dryRun ?? false;
  return storage.transaction(async (trx) => {
    // Writers wait while the plan is made and carried out (readers do not), so no publish can
    // attach to content that is being deleted. SQLite's transaction already holds the only writer.
    if (storage.engine === 'postgres' && !dryRun)
      await sql`LOCK TABLE versions, branch_versions, tags, pact_publications, pact_versions, verifications, deployed_versions, released_versions, integrations IN SHARE ROW EXCLUSIVE MODE`.execute(
        trx,
      );
    const plan = await planClean(trx, rules, options.now ?? new Date());
    const report: CleanReport = {
      dryRun,
      keptVersions: plan.keptVersions,
      deleted: {
        versions: plan.versions,
        pactContents: plan.pactVersionIds.length,
        pactPublications: plan.publicationIds.length,
        verifications: plan.verificationIds.length,
        deployments: plan.deploymentIds.length,
        releases: plan.releaseIds.length,
        integrations: plan.integrations.length,
      },
    };
    if (!dryRun) await applyPlan(trx, plan);
    return report;
  });
}

interface Plan {
  keptVersions: number;
  versions: CleanedVersion[];
  versionIds: number[];
  publicationIds: number[];
  pactVersionIds: number[];
  verificationIds: number[];
  deploymentIds: string[];
  releaseIds: string[];
  integrations: { consumer_id: number; provider_id: number }[];
}

async function planClean(db: Db, rules: RetentionRules, now: Date): Promise<Plan> {
  const versions = await db
    .selectFrom('versions')
    .innerJoin('pacticipants', 'pacticipants.id', 'versions.pacticipant_id')
    .select(['versions.id', 'versions.pacticipant_id', 'versions.number', 'versions.created_at', 'pacticipants.name'])
    .execute();
  const branchRows = await db
    .selectFrom('branch_versions')
    .innerJoin('branches', 'branches.id', 'branch_versions.branch_id')
    .select(['branch_versions.branch_id', 'branch_versions.version_id', 'branches.name'])
    .execute();
  const tagRows = await db.selectFrom('tags').select(['version_id', 'name']).execute();
  const byId = new Map(versions.map((v) => [v.id, v]));

  // Group keys per version: its branches, its tags; used both for the roots and for verifications.
  const branchesOf = new Map<number, string[]>();
  const groupsOf = new Map<number, string[]>();
  for (const b of branchRows) {
    push(branchesOf, b.version_id, b.name);
    push(groupsOf, b.version_id, `branch:${b.branch_id}`);
  }
  for (const t of tagRows) push(groupsOf, t.version_id, `tag:${t.name}`);

  const kept = new Set<number>();
  const groups = new Map<string, number[]>();
  const cutoff = rules.keepNewerThanMs === undefined ? undefined : new Date(now.getTime() - rules.keepNewerThanMs);
  for (const v of versions) {
    const keys = groupsOf.get(v.id);
    // Tags are per pacticipant; branch ids already are.
    if (keys) for (const key of keys) push(groups, key.startsWith('tag:') ? `${v.pacticipant_id}:${key}` : key, v.id);
    else push(groups, `none:${v.pacticipant_id}`, v.id);
    if (cutoff && new Date(v.created_at) >= cutoff) kept.add(v.id);
  }
  latestOfEachGroup(groups, rules.keepLatest, kept);
  const deployed = await db.selectFrom('deployed_versions').select(['uuid', 'version_id', 'undeployed_at']).execute();
  const released = await db
    .selectFrom('released_versions')
    .select(['uuid', 'version_id', 'support_ended_at'])
    .execute();
  for (const d of deployed) if (d.undeployed_at === null) kept.add(d.version_id);
  for (const r of released) if (r.support_ended_at === null) kept.add(r.version_id);

  const publications = await db
    .selectFrom('pact_publications')
    .select(['id', 'consumer_version_id', 'pact_version_id'])
    .execute();
  const verifications = await db
    .selectFrom('verifications')
    .select(['id', 'pact_version_id', 'provider_version_id', 'success'])
    .orderBy('id', 'desc')
    .execute();
  const verificationsOf = new Map<number, typeof verifications>();
  for (const v of verifications) push(verificationsOf, v.pact_version_id, v);

  // Kept versions keep the content they published; kept content keeps the provider versions whose
  // verifications decide its matrix rows and pending status; those may publish content in turn.
  const keptContent = new Set<number>();
  for (let changed = true; changed;) {
    changed = false;
    for (const p of publications)
      if (kept.has(p.consumer_version_id) && !keptContent.has(p.pact_version_id)) {
        keptContent.add(p.pact_version_id);
        for (const id of providerVersionsNeeded(verificationsOf.get(p.pact_version_id) ?? [], groupsOf))
          if (!kept.has(id)) {
            kept.add(id);
            changed = true;
          }
      }
  }

  const goneVersions = versions.filter((v) => !kept.has(v.id)).map((v) => v.id);
  const gone = new Set(goneVersions);
  const contents = await db.selectFrom('pact_versions').select(['id', 'consumer_id', 'provider_id']).execute();
  const goneContent = contents.filter((c) => !keptContent.has(c.id));
  const goneContentIds = new Set(goneContent.map((c) => c.id));
  const keptPairs = new Set(
    contents.filter((c) => keptContent.has(c.id)).map((c) => `${c.consumer_id}:${c.provider_id}`),
  );
  const integrations = (await db.selectFrom('integrations').select(['consumer_id', 'provider_id']).execute()).filter(
    (i) => !keptPairs.has(`${i.consumer_id}:${i.provider_id}`),
  );

  const report = goneVersions
    .map((id) => byId.get(id)!)
    .sort((a, b) => (a.name === b.name ? a.id - b.id : a.name < b.name ? -1 : 1))
    .map((v) => ({
      pacticipant: v.name,
      number: v.number,
      branches: branchesOf.get(v.id) ?? [],
      createdAt: v.created_at,
    }));
  return {
    keptVersions: versions.length - goneVersions.length,
    versions: report,
    versionIds: goneVersions,
    publicationIds: publications.filter((p) => gone.has(p.consumer_version_id)).map((p) => p.id),
    pactVersionIds: [...goneContentIds],
    verificationIds: verifications
      .filter((v) => gone.has(v.provider_version_id) || goneContentIds.has(v.pact_version_id))
      .map((v) => v.id),
    deploymentIds: deployed.filter((d) => gone.has(d.version_id)).map((d) => d.uuid),
    releaseIds: released.filter((r) => gone.has(r.version_id)).map((r) => r.uuid),
    integrations,
  };
}

/**
 * The provider versions one pact content's answers depend on: its latest verification (the
 * matrix's latest row), and its latest successful one overall and per provider branch and tag
 * (whether the pact is pending for that branch). `verifications` come newest first.
 */
function providerVersionsNeeded(
  verifications: { provider_version_id: number; success: number }[],
  groupsOf: Map<number, string[]>,
): number[] {
  const needed = new Set<number>();
  if (verifications[0]) needed.add(verifications[0].provider_version_id);
  const seen = new Set<string>();
  for (const v of verifications) {
    if (!v.success) continue;
    for (const key of ['any', ...(groupsOf.get(v.provider_version_id) ?? [])])
      if (!seen.has(key)) {
        seen.add(key);
        needed.add(v.provider_version_id);
      }
  }
  return [...needed];
}

function chunks<T>(list: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += CHUNK) out.push(list.slice(i, i + CHUNK));
  return out;
}

// Dependants before what they reference: foreign keys hold at every step on both engines.
async function applyPlan(db: Db, plan: Plan): Promise<void> {
  for (const ids of chunks(plan.verificationIds)) await db.deleteFrom('verifications').where('id', 'in', ids).execute();
  for (const ids of chunks(plan.publicationIds))
    await db.deleteFrom('pact_publications').where('id', 'in', ids).execute();
  for (const ids of chunks(plan.pactVersionIds)) await db.deleteFrom('pact_versions').where('id', 'in', ids).execute();
  for (const i of plan.integrations)
    await db
      .deleteFrom('integrations')
      .where('consumer_id', '=', i.consumer_id)
      .where('provider_id', '=', i.provider_id)
      .execute();
  for (const ids of chunks(plan.deploymentIds))
    await db.deleteFrom('deployed_versions').where('uuid', 'in', ids).execute();
  for (const ids of chunks(plan.releaseIds))
    await db.deleteFrom('released_versions').where('uuid', 'in', ids).execute();
  for (const ids of chunks(plan.versionIds)) {
    await db.deleteFrom('tags').where('version_id', 'in', ids).execute();
    await db.deleteFrom('branch_versions').where('version_id', 'in', ids).execute();
    await db.deleteFrom('versions').where('id', 'in', ids).execute();
  }
}
