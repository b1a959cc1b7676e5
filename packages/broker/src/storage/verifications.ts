import type { Db } from './database.js';
import { addBranchVersion, addTag, ensurePacticipant, ensureVersion } from './pacticipants.js';
import type { PactRow } from './pacts.js';

export interface VerificationRow {
  id: number;
  pact_version_id: number;
  provider_version_id: number;
  provider_version: string;
  success: number;
  content: string;
  verified_at: string;
}

export interface VerificationInput {
  success: boolean;
  providerApplicationVersion: string;
  providerVersionBranch?: string;
  providerVersionTags?: string[];
  buildUrl?: string;
  [key: string]: unknown;
}

/** Stores a verification of a pact content by a provider version (the whole document, `testResults[].cutover` included). */
export async function recordVerification(db: Db, pact: PactRow, input: VerificationInput): Promise<VerificationRow> {
  const { pacticipant: provider } = await ensurePacticipant(db, pact.provider);
  const { version } = await ensureVersion(db, provider.id, input.providerApplicationVersion);
  if (input.providerVersionBranch) await addBranchVersion(db, provider.id, input.providerVersionBranch, version.id);
  for (const tag of input.providerVersionTags ?? []) await addTag(db, version.id, tag);
  const verifiedAt = new Date().toISOString();
  const { id } = await db
    .insertInto('verifications')
    .values({
      pact_version_id: pact.pact_version_id,
      provider_id: provider.id,
      consumer_id: pact.consumer_id,
      provider_version_id: version.id,
      success: input.success ? 1 : 0,
      build_url: input.buildUrl ?? null,
      content: JSON.stringify(input),
      verified_at: verifiedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return (await findVerification(db, id))!;
}

export function findVerification(db: Db, id: number): Promise<VerificationRow | undefined> {
  return db
    .selectFrom('verifications as vr')
    .innerJoin('versions as v', 'v.id', 'vr.provider_version_id')
    .select([
      'vr.id',
      'vr.pact_version_id',
      'vr.provider_version_id',
      'v.number as provider_version',
      'vr.success',
      'vr.content',
      'vr.verified_at',
    ])
    .where('vr.id', '=', id)
    .executeTakeFirst();
}

/** Whether a provider version on `branch` (or with one of `tags`, or any version when neither) verified the content successfully. */
export async function verifiedSuccessfully(
  db: Db,
  pactVersionId: number,
  by: { branch?: string; tags?: string[] },
): Promise<boolean> {
  let query = db
    .selectFrom('verifications as vr')
    .select('vr.id')
    .where('vr.pact_version_id', '=', pactVersionId)
    .where('vr.success', '=', 1);
  if (by.branch !== undefined)
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('branch_versions as bv')
          .innerJoin('branches as b', 'b.id', 'bv.branch_id')
          .select('bv.version_id')
          .whereRef('bv.version_id', '=', 'vr.provider_version_id')
          .where('b.name', '=', by.branch!),
      ),
    );
  else if (by.tags?.length)
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('tags as t')
          .select('t.version_id')
          .whereRef('t.version_id', '=', 'vr.provider_version_id')
          .where('t.name', 'in', by.tags!),
      ),
    );
  return (await query.limit(1).executeTakeFirst()) !== undefined;
}
