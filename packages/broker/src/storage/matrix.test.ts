import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../__fixtures__/engines.js';
import { openStorage, type Storage } from './database.js';
import { recordDeployment, recordRelease, saveEnvironment } from './environments.js';
import {
  resolveVersions,
  resolveVersionsOfMany,
  rowsOfPairings,
  type MatrixRow,
  type MatrixTarget,
  type Pairing,
  type VersionRef,
} from './matrix.js';
import type { Db } from './database.js';
import type { Pacticipant } from './pacticipants.js';
import { addBranchVersion, addTag, ensurePacticipant, ensureVersion, updatePacticipant } from './pacticipants.js';
import { publishPact, type PactRow } from './pacts.js';
import { recordVerification } from './verifications.js';

/** A small deterministic PRNG (mulberry32), so a failure is reproducible from the seed it prints. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { chance: (p: number) => next() < p, pick: <T>(list: T[]): T => list[Math.floor(next() * list.length)]! };
}

/** The reference: one pact query and one verification query per consumer/provider pair. */
async function rowsOnePairAtATime(
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
    .orderBy('pp.consumer_version_id')
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

const SEED = 20261202;
const TARGETS: MatrixTarget[] = [
  { environment: 'prod' },
  { environment: 'staging' },
  { latest: true },
  { latest: true, tag: 'prod' },
  { tag: 'prod' },
  { branch: 'main' },
  { branch: 'feat' },
  { mainBranch: true },
  { latest: true, branch: 'main' },
  {},
];

/**
 * Pacticipants with random versions, branches, tags, pacts (identical content shared between
 * versions), verifications by random provider versions, deployments (some ended), releases, and
 * integrations in both directions.
 */
async function seedRandom(storage: Storage, seed: number) {
  const r = random(seed);
  const names = ['Web', 'Mobile', 'Orders', 'Billing', 'Stock', 'Gateway'];
  return storage.transaction(async (trx) => {
    const prod = await saveEnvironment(trx, { name: 'prod', production: true });
    const staging = await saveEnvironment(trx, { name: 'staging', production: false });
    const versions = new Map<string, { id: number; pacticipant_id: number; number: string }[]>();
    for (const name of names) {
      const { pacticipant } = await ensurePacticipant(trx, name);
      if (r.chance(0.6)) await updatePacticipant(trx, pacticipant.id, { mainBranch: r.pick(['main', 'feat']) });
      const list = [];
      for (let v = 0; v < 3 + Math.floor(r.chance(0.5) ? 4 : 1); v++) {
        const { version } = await ensureVersion(trx, pacticipant.id, `${name.toLowerCase()}-${v}`);
        list.push(version);
        if (r.chance(0.7)) await addBranchVersion(trx, pacticipant.id, r.pick(['main', 'feat']), version.id);
        if (r.chance(0.4)) await addTag(trx, version.id, r.pick(['prod', 'test']));
        if (r.chance(0.3)) {
          const env = r.pick([prod, staging]);
          await recordDeployment(trx, version, env.uuid, r.pick([null, 'eu', 'us']));
        }
        if (r.chance(0.15)) await recordRelease(trx, version, r.pick([prod, staging]).uuid);
      }
      versions.set(name, list);
    }
    const pacts: PactRow[] = [];
    for (const consumer of names)
      for (const provider of names) {
        if (consumer === provider || !r.chance(0.45)) continue;
        for (const v of versions.get(consumer)!) {
          if (!r.chance(0.75)) continue;
          const marker = r.pick(['a', 'b', 'c']);
          const outcome = await publishPact(
            trx,
            { consumer, provider, consumerVersion: v.number },
            {
              consumer: { name: consumer },
              provider: { name: provider },
              interactions: [
                { description: marker, request: { method: 'GET', path: `/${marker}` }, response: { status: 200 } },
              ],
              metadata: { pactSpecification: { version: '2.0.0' } },
            },
          );
          if (outcome.outcome !== 'conflict') pacts.push(outcome.row);
        }
      }
    for (const pact of pacts)
      for (const pv of versions.get(pact.provider)!)
        if (r.chance(0.25))
          await recordVerification(trx, pact, { success: r.chance(0.75), providerApplicationVersion: pv.number });
    return versions;
  });
}

describe.each(engines)('can-i-deploy batched over every integration on $name', (engine) => {
  let storage: Storage;
  let drop: () => Promise<void>;
  let versions: Map<string, VersionRef[]>;

  beforeAll(async () => {
    const db = await engine.create();
    drop = db.drop;
    storage = await openStorage(db.config);
    versions = await seedRandom(storage, SEED);
  });
  afterAll(async () => {
    await storage?.close();
    await drop?.();
  });

  it(`resolves a target for all partners at once exactly as one by one (seed ${SEED})`, async () => {
    const all = await storage.db.selectFrom('pacticipants').selectAll().orderBy('name').execute();
    let compared = 0;
    for (const target of TARGETS) {
      const batched = await resolveVersionsOfMany(storage.db, all, target);
      for (const p of all) {
        const single = await resolveVersions(storage.db, p, target);
        expect({ target, pacticipant: p.name, versions: batched.get(p.id) }).toEqual({
          target,
          pacticipant: p.name,
          versions: single,
        });
        compared += single.length;
      }
    }
    // The fixture is only a test if the targets find something.
    expect(compared).toBeGreaterThan(50);
  });

  it(`gives every integration's rows in one batch exactly as pair by pair (seed ${SEED})`, async () => {
    const all = await storage.db.selectFrom('pacticipants').selectAll().orderBy('name').execute();
    const r = random(SEED + 1);
    let rows = 0;
    for (const me of all)
      for (const target of TARGETS) {
        const mine = versions.get(me.name)!;
        const myVersions = r.chance(0.5) ? [r.pick(mine)] : mine.filter(() => r.chance(0.5));
        const others = all.filter((p) => p.id !== me.id);
        const targetVersions = await resolveVersionsOfMany(storage.db, others, target);
        const hasTarget = Object.keys(target).length > 0;
        const pairings: Pairing[] = others.flatMap((o) => [
          {
            consumer: me,
            consumerVersions: myVersions,
            provider: o,
            providerVersions: hasTarget ? targetVersions.get(o.id)! : undefined,
          },
          { consumer: o, consumerVersions: targetVersions.get(o.id)!, provider: me, providerVersions: myVersions },
        ]);
        const one = [];
        for (const p of pairings)
          one.push(
            ...(await rowsOnePairAtATime(storage.db, p.consumer, p.consumerVersions, p.provider, p.providerVersions)),
          );
        const batched = await rowsOfPairings(storage.db, pairings);
        expect({ me: me.name, target, rows: batched }).toEqual({ me: me.name, target, rows: one });
        rows += one.length;
      }
    expect(rows).toBeGreaterThan(200);
  });
});
