import type { Selectable, Updateable } from 'kysely';
import type { Db } from './database.js';
import type { PacticipantTable, VersionTable } from './schema.js';

export type Pacticipant = Selectable<PacticipantTable>;
export type Version = Selectable<VersionTable>;

export const now = () => new Date().toISOString();

export function findPacticipant(db: Db, name: string): Promise<Pacticipant | undefined> {
  return db.selectFrom('pacticipants').selectAll().where('name', '=', name).executeTakeFirst();
}

/** Finds or creates; safe when several writers create the same name at once (the unique key decides). */
export async function ensurePacticipant(db: Db, name: string): Promise<{ pacticipant: Pacticipant; created: boolean }> {
  const existing = await findPacticipant(db, name);
  if (existing) return { pacticipant: existing, created: false };
  const at = now();
  const inserted = await db
    .insertInto('pacticipants')
    .values({ name, created_at: at, updated_at: at })
    .onConflict((oc) => oc.column('name').doNothing())
    .returningAll()
    .executeTakeFirst();
  return inserted
    ? { pacticipant: inserted, created: true }
    : { pacticipant: (await findPacticipant(db, name))!, created: false };
}

export interface PacticipantFields {
  displayName?: string | null;
  repositoryUrl?: string | null;
  repositoryName?: string | null;
  repositoryNamespace?: string | null;
  mainBranch?: string | null;
}

export async function updatePacticipant(db: Db, id: number, fields: PacticipantFields): Promise<Pacticipant> {
  const set: Updateable<PacticipantTable> = { updated_at: now() };
  if (fields.displayName !== undefined) set.display_name = fields.displayName;
  if (fields.repositoryUrl !== undefined) set.repository_url = fields.repositoryUrl;
  if (fields.repositoryName !== undefined) set.repository_name = fields.repositoryName;
  if (fields.repositoryNamespace !== undefined) set.repository_namespace = fields.repositoryNamespace;
  if (fields.mainBranch !== undefined) set.main_branch = fields.mainBranch;
  return db.updateTable('pacticipants').set(set).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export function listPacticipants(db: Db): Promise<Pacticipant[]> {
  return db.selectFrom('pacticipants').selectAll().orderBy('name').execute();
}

export function findVersion(db: Db, pacticipantId: number, number: string): Promise<Version | undefined> {
  return db
    .selectFrom('versions')
    .selectAll()
    .where('pacticipant_id', '=', pacticipantId)
    .where('number', '=', number)
    .executeTakeFirst();
}

export async function ensureVersion(
  db: Db,
  pacticipantId: number,
  number: string,
  buildUrl?: string,
): Promise<{ version: Version; created: boolean }> {
  const existing = await findVersion(db, pacticipantId, number);
  if (existing) {
    if (buildUrl && existing.build_url !== buildUrl) {
      const version = await db
        .updateTable('versions')
        .set({ build_url: buildUrl })
        .where('id', '=', existing.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return { version, created: false };
    }
    return { version: existing, created: false };
  }
  const inserted = await db
    .insertInto('versions')
    .values({ pacticipant_id: pacticipantId, number, build_url: buildUrl ?? null, created_at: now() })
    .onConflict((oc) => oc.columns(['pacticipant_id', 'number']).doNothing())
    .returningAll()
    .executeTakeFirst();
  return inserted
    ? { version: inserted, created: true }
    : { version: (await findVersion(db, pacticipantId, number))!, created: false };
}

/** Versions are ordered by creation, as the Pact Broker orders them by default. */
export function latestVersion(
  db: Db,
  pacticipantId: number,
  filter: { tag?: string; branch?: string } = {},
): Promise<Version | undefined> {
  let query = db.selectFrom('versions').selectAll('versions').where('versions.pacticipant_id', '=', pacticipantId);
  if (filter.tag !== undefined)
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('tags')
          .select('tags.version_id')
          .whereRef('tags.version_id', '=', 'versions.id')
          .where('tags.name', '=', filter.tag!),
      ),
    );
  if (filter.branch !== undefined)
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('branch_versions')
          .innerJoin('branches', 'branches.id', 'branch_versions.branch_id')
          .select('branch_versions.version_id')
          .whereRef('branch_versions.version_id', '=', 'versions.id')
          .where('branches.name', '=', filter.branch!),
      ),
    );
  return query.orderBy('versions.id', 'desc').limit(1).executeTakeFirst();
}

export async function addTag(db: Db, versionId: number, name: string): Promise<boolean> {
  const inserted = await db
    .insertInto('tags')
    .values({ version_id: versionId, name, created_at: now() })
    .onConflict((oc) => oc.columns(['version_id', 'name']).doNothing())
    .returning('name')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** The branch names a pacticipant's main branch is taken from when none was set, as the Pact Broker's `auto_detect_main_branch` does. */
export const MAIN_BRANCH_CANDIDATES = ['develop', 'main', 'master'];

export async function addBranchVersion(
  db: Db,
  pacticipantId: number,
  branch: string,
  versionId: number,
): Promise<boolean> {
  await db
    .insertInto('branches')
    .values({ pacticipant_id: pacticipantId, name: branch, created_at: now() })
    .onConflict((oc) => oc.columns(['pacticipant_id', 'name']).doNothing())
    .execute();
  // Stock clients select `{ mainBranch: true }` by default: without this, a pacticipant whose team
  // never set its main branch would have no pacts to verify.
  if (MAIN_BRANCH_CANDIDATES.includes(branch))
    await db
      .updateTable('pacticipants')
      .set({ main_branch: branch, updated_at: now() })
      .where('id', '=', pacticipantId)
      .where('main_branch', 'is', null)
      .execute();
  const { id } = await db
    .selectFrom('branches')
    .select('id')
    .where('pacticipant_id', '=', pacticipantId)
    .where('name', '=', branch)
    .executeTakeFirstOrThrow();
  const inserted = await db
    .insertInto('branch_versions')
    .values({ branch_id: id, version_id: versionId, created_at: now() })
    .onConflict((oc) => oc.columns(['branch_id', 'version_id']).doNothing())
    .returning('version_id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export function versionTags(db: Db, versionId: number): Promise<{ name: string; created_at: string }[]> {
  return db
    .selectFrom('tags')
    .select(['name', 'created_at'])
    .where('version_id', '=', versionId)
    .orderBy('created_at')
    .execute();
}

export function versionBranches(db: Db, versionId: number): Promise<{ name: string; branch_id: number }[]> {
  return db
    .selectFrom('branch_versions')
    .innerJoin('branches', 'branches.id', 'branch_versions.branch_id')
    .select(['branches.name', 'branches.id as branch_id'])
    .where('branch_versions.version_id', '=', versionId)
    .execute();
}

/** The newest version of a branch. */
export async function branchHead(db: Db, branchId: number): Promise<number | undefined> {
  const row = await db
    .selectFrom('branch_versions')
    .select((eb) => eb.fn.max('version_id').as('head'))
    .where('branch_id', '=', branchId)
    .executeTakeFirst();
  return row?.head ?? undefined;
}
