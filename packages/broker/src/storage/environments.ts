import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Db } from './database.js';
import { now } from './pacticipants.js';
import type { EnvironmentTable } from './schema.js';

export type Environment = Selectable<EnvironmentTable>;

export interface DeploymentRow {
  uuid: string;
  pacticipant: string;
  version: string;
  version_id: number;
  environment_uuid: string;
  application_instance: string | null;
  created_at: string;
  ended_at: string | null;
}

export function findEnvironment(db: Db, uuid: string): Promise<Environment | undefined> {
  return db.selectFrom('environments').selectAll().where('uuid', '=', uuid).executeTakeFirst();
}

export function findEnvironmentByName(db: Db, name: string): Promise<Environment | undefined> {
  return db.selectFrom('environments').selectAll().where('name', '=', name).executeTakeFirst();
}

export function listEnvironments(db: Db): Promise<Environment[]> {
  return db.selectFrom('environments').selectAll().orderBy('name').execute();
}

export interface EnvironmentFields {
  name: string;
  displayName?: string | null;
  production?: boolean;
  contacts?: unknown[];
}

export async function saveEnvironment(db: Db, fields: EnvironmentFields, uuid?: string): Promise<Environment> {
  const at = now();
  const values = {
    name: fields.name,
    display_name: fields.displayName ?? null,
    production: fields.production ? 1 : 0,
    contacts: fields.contacts ? JSON.stringify(fields.contacts) : null,
    updated_at: at,
  };
  if (uuid)
    return db.updateTable('environments').set(values).where('uuid', '=', uuid).returningAll().executeTakeFirstOrThrow();
  return db
    .insertInto('environments')
    .values({ ...values, uuid: randomUUID(), created_at: at })
    .returningAll()
    .executeTakeFirstOrThrow();
}

function deployments(db: Db) {
  return db
    .selectFrom('deployed_versions as d')
    .innerJoin('versions as v', 'v.id', 'd.version_id')
    .innerJoin('pacticipants as p', 'p.id', 'd.pacticipant_id')
    .select([
      'd.uuid',
      'p.name as pacticipant',
      'v.number as version',
      'd.version_id',
      'd.environment_uuid',
      'd.application_instance',
      'd.created_at',
      'd.undeployed_at as ended_at',
    ]);
}

function releases(db: Db) {
  return db
    .selectFrom('released_versions as r')
    .innerJoin('versions as v', 'v.id', 'r.version_id')
    .innerJoin('pacticipants as p', 'p.id', 'r.pacticipant_id')
    .select([
      'r.uuid',
      'p.name as pacticipant',
      'v.number as version',
      'r.version_id',
      'r.environment_uuid',
      (eb) => eb.val<string | null>(null).as('application_instance'),
      'r.created_at',
      'r.support_ended_at as ended_at',
    ]);
}

/**
 * Records a deployment. The version that was deployed before to the same environment and
 * application instance is no longer current (a deployment replaces it); other instances stay.
 */
export async function recordDeployment(
  db: Db,
  version: { id: number; pacticipant_id: number },
  environmentUuid: string,
  applicationInstance: string | null,
): Promise<DeploymentRow> {
  const at = now();
  let previous = db
    .updateTable('deployed_versions')
    .set({ undeployed_at: at })
    .where('pacticipant_id', '=', version.pacticipant_id)
    .where('environment_uuid', '=', environmentUuid)
    .where('undeployed_at', 'is', null);
  previous =
    applicationInstance === null
      ? previous.where('application_instance', 'is', null)
      : previous.where('application_instance', '=', applicationInstance);
  await previous.execute();
  const uuid = randomUUID();
  await db
    .insertInto('deployed_versions')
    .values({
      uuid,
      version_id: version.id,
      pacticipant_id: version.pacticipant_id,
      environment_uuid: environmentUuid,
      application_instance: applicationInstance,
      created_at: at,
      undeployed_at: null,
    })
    .execute();
  return (await findDeployment(db, uuid))!;
}

export function findDeployment(db: Db, uuid: string): Promise<DeploymentRow | undefined> {
  return deployments(db).where('d.uuid', '=', uuid).executeTakeFirst();
}

export async function endDeployment(db: Db, uuid: string): Promise<void> {
  await db
    .updateTable('deployed_versions')
    .set({ undeployed_at: now() })
    .where('uuid', '=', uuid)
    .where('undeployed_at', 'is', null)
    .execute();
}

export function currentDeployments(db: Db, environmentUuid: string, pacticipant?: string): Promise<DeploymentRow[]> {
  let q = deployments(db).where('d.environment_uuid', '=', environmentUuid).where('d.undeployed_at', 'is', null);
  if (pacticipant !== undefined) q = q.where('p.name', '=', pacticipant);
  return q.orderBy('d.created_at').execute();
}

/** Records a release; recording the same version in the same environment again changes nothing. */
export async function recordRelease(
  db: Db,
  version: { id: number; pacticipant_id: number },
  environmentUuid: string,
): Promise<{ row: DeploymentRow; created: boolean }> {
  const existing = await releases(db)
    .where('r.version_id', '=', version.id)
    .where('r.environment_uuid', '=', environmentUuid)
    .executeTakeFirst();
  if (existing) return { row: existing, created: false };
  const uuid = randomUUID();
  await db
    .insertInto('released_versions')
    .values({
      uuid,
      version_id: version.id,
      pacticipant_id: version.pacticipant_id,
      environment_uuid: environmentUuid,
      created_at: now(),
      support_ended_at: null,
    })
    .execute();
  return { row: (await findRelease(db, uuid))!, created: true };
}

export function findRelease(db: Db, uuid: string): Promise<DeploymentRow | undefined> {
  return releases(db).where('r.uuid', '=', uuid).executeTakeFirst();
}

export async function endSupport(db: Db, uuid: string): Promise<void> {
  await db
    .updateTable('released_versions')
    .set({ support_ended_at: now() })
    .where('uuid', '=', uuid)
    .where('support_ended_at', 'is', null)
    .execute();
}

export function currentReleases(db: Db, environmentUuid: string, pacticipant?: string): Promise<DeploymentRow[]> {
  let q = releases(db).where('r.environment_uuid', '=', environmentUuid).where('r.support_ended_at', 'is', null);
  if (pacticipant !== undefined) q = q.where('p.name', '=', pacticipant);
  return q.orderBy('r.created_at').execute();
}
