import type { Db } from './database.js';
import { latestPacts, pactsForConsumerVersions, type PactRow } from './pacts.js';

/** A consumer version selector as the Pact clients send it. */
export interface ConsumerVersionSelector {
  mainBranch?: boolean;
  branch?: string;
  matchingBranch?: boolean;
  fallbackBranch?: string;
  tag?: string;
  fallbackTag?: string;
  latest?: boolean;
  consumer?: string;
  deployed?: boolean;
  released?: boolean;
  deployedOrReleased?: boolean;
  environment?: string;
}

export interface Selected {
  row: PactRow;
  /** Words for the notices: why this consumer version was selected. */
  reason: string;
}

/** Publications of `providerId`'s pacts by consumer versions currently deployed and/or released (to `environment`). */
async function byDeployment(db: Db, providerId: number, kinds: ('deployed' | 'released')[], environment?: string) {
  const versionIds = new Set<number>();
  for (const kind of kinds) {
    let q =
      kind === 'deployed'
        ? db
            .selectFrom('deployed_versions as d')
            .innerJoin('environments as e', 'e.uuid', 'd.environment_uuid')
            .select(['d.version_id', 'e.name'])
            .where('d.undeployed_at', 'is', null)
        : db
            .selectFrom('released_versions as d')
            .innerJoin('environments as e', 'e.uuid', 'd.environment_uuid')
            .select(['d.version_id', 'e.name'])
            .where('d.support_ended_at', 'is', null);
    if (environment !== undefined) q = q.where('e.name', '=', environment);
    for (const r of await q.execute()) versionIds.add(r.version_id);
  }
  return pactsForConsumerVersions(db, providerId, [...versionIds]);
}

async function latestWithFallback(db: Db, provider: string, key: 'tag' | 'branch', value: string, fallback?: string) {
  const rows = await latestPacts(db, { provider, [key]: value });
  if (fallback === undefined) return rows.map((row) => ({ row, label: value }));
  const found = new Set(rows.map((r) => r.consumer));
  const fallbackRows = (await latestPacts(db, { provider, [key]: fallback })).filter((r) => !found.has(r.consumer));
  return [...rows.map((row) => ({ row, label: value })), ...fallbackRows.map((row) => ({ row, label: fallback }))];
}

/** The pacts one selector picks for a provider, each with the reason it was picked. */
export async function select(
  db: Db,
  provider: { id: number; name: string },
  s: ConsumerVersionSelector,
  providerVersionBranch: string | undefined,
): Promise<Selected[]> {
  const only = (rows: Selected[]) =>
    s.consumer === undefined ? rows : rows.filter((r) => r.row.consumer === s.consumer);
  const at = (row: PactRow) => `${row.consumer} (${row.consumer_version})`;
  if (s.mainBranch) {
    const consumers = await db
      .selectFrom('pacticipants')
      .select(['name', 'main_branch'])
      .where('main_branch', 'is not', null)
      .execute();
    const out: Selected[] = [];
    for (const c of consumers)
      for (const row of await latestPacts(db, { provider: provider.name, consumer: c.name, branch: c.main_branch! }))
        out.push({
          row,
          reason: `latest version of ${row.consumer} from the main branch '${c.main_branch}' (${row.consumer_version})`,
        });
    return only(out);
  }
  const branch = s.matchingBranch ? providerVersionBranch : s.branch;
  if (s.matchingBranch && branch === undefined) return [];
  if (branch !== undefined) {
    if (s.latest === false) {
      const rows = await db
        .selectFrom('branch_versions as bv')
        .innerJoin('branches as b', 'b.id', 'bv.branch_id')
        .select('bv.version_id')
        .where('b.name', '=', branch)
        .execute();
      return only(
        (
          await pactsForConsumerVersions(
            db,
            provider.id,
            rows.map((r) => r.version_id),
          )
        ).map((row) => ({
          row,
          reason: `a version of ${row.consumer} from branch '${branch}' (${row.consumer_version})`,
        })),
      );
    }
    return only(
      (await latestWithFallback(db, provider.name, 'branch', branch, s.fallbackBranch)).map(({ row, label }) => ({
        row,
        reason: `latest version of ${row.consumer} from branch '${label}'${label !== branch ? ` (fallback for '${branch}')` : ''} (${row.consumer_version})`,
      })),
    );
  }
  if (s.tag !== undefined) {
    if (s.latest)
      return only(
        (await latestWithFallback(db, provider.name, 'tag', s.tag, s.fallbackTag)).map(({ row, label }) => ({
          row,
          reason: `latest version of ${row.consumer} tagged '${label}'${label !== s.tag ? ` (fallback for '${s.tag}')` : ''} (${row.consumer_version})`,
        })),
      );
    const rows = await db.selectFrom('tags').select('version_id').where('name', '=', s.tag).execute();
    return only(
      (
        await pactsForConsumerVersions(
          db,
          provider.id,
          rows.map((r) => r.version_id),
        )
      ).map((row) => ({
        row,
        reason: `all versions of ${row.consumer} tagged '${s.tag}' (${row.consumer_version})`,
      })),
    );
  }
  if (s.deployed || s.released || s.deployedOrReleased || s.environment !== undefined) {
    const kinds: ('deployed' | 'released')[] = s.deployed
      ? ['deployed']
      : s.released
        ? ['released']
        : ['deployed', 'released'];
    const where = s.environment !== undefined ? ` in ${s.environment}` : '';
    const what = s.deployed ? 'deployed' : s.released ? 'released' : 'deployed or released';
    return only(
      (await byDeployment(db, provider.id, kinds, s.environment)).map((row) => ({
        row,
        reason: `version(s) of ${row.consumer} currently ${what}${where} (${row.consumer_version})`,
      })),
    );
  }
  // `{ latest: true }`, `{ consumer }` or an empty selector: the latest pact of each (or that) consumer.
  return only(
    (
      await latestPacts(db, { provider: provider.name, ...(s.consumer !== undefined ? { consumer: s.consumer } : {}) })
    ).map((row) => ({
      row,
      reason: `latest version of ${at(row).replace(/ \(.*$/, '')} (${row.consumer_version})`,
    })),
  );
}

/**
 * Candidates for work-in-progress pacts: the newest pact of every consumer branch (for a provider
 * that verifies by branch) or tag (by tags), published on or after `since`.
 */
export async function wipCandidates(db: Db, provider: string, since: string, by: 'branch' | 'tag'): Promise<PactRow[]> {
  const heads = new Map<number, PactRow>();
  if (by === 'tag') {
    const tags = await db.selectFrom('tags').select('name').distinct().execute();
    for (const t of tags)
      for (const row of await latestPacts(db, { provider, tag: t.name })) heads.set(row.publication_id, row);
    return [...heads.values()].filter((r) => r.created_at >= since);
  }
  const branches = await db
    .selectFrom('branches as b')
    .innerJoin('pacticipants as c', 'c.id', 'b.pacticipant_id')
    .select(['c.name as consumer', 'b.name'])
    .execute();
  for (const b of branches)
    for (const row of await latestPacts(db, { provider, consumer: b.consumer, branch: b.name }))
      heads.set(row.publication_id, row);
  return [...heads.values()].filter((r) => r.created_at >= since);
}
