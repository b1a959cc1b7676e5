// Shared by the broker benchmarks: a fresh database per run and a bulk seed through the storage layer.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const INTEGRATIONS = 20;

/** A SQLite file in a temporary directory, or a new database on the PostgreSQL server at `pgUrl`. */
export async function freshDatabase(pgUrl) {
  if (!pgUrl) {
    const dir = mkdtempSync(join(tmpdir(), 'cutover-broker-bench-'));
    return {
      config: { file: join(dir, 'broker.db') },
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `cutover_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(pgUrl);
  url.pathname = `/${name}`;
  return {
    config: { url: url.toString() },
    drop: async () => {
      const c = new pg.Client({ connectionString: pgUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export const pact = (consumer, provider, marker) => ({
  consumer: { name: consumer },
  provider: { name: provider },
  interactions: [
    {
      description: `get ${marker}`,
      request: { method: 'GET', path: `/things/${marker}` },
      response: { status: 200, body: { id: marker } },
    },
  ],
  metadata: { pactSpecification: { version: '3.0.0' } },
});

/** Seeds a provider with INTEGRATIONS consumers × versions, each version with a pact and a verification, the latest of each deployed to prod. */
export async function seed(broker, versions) {
  const at = new Date().toISOString();
  const started = Date.now();
  await broker.storage.transaction(async (trx) => {
    const [provider] = await trx
      .insertInto('pacticipants')
      .values({ name: 'Provider', created_at: at, updated_at: at })
      .returning('id')
      .execute();
    const [pv] = await trx
      .insertInto('versions')
      .values({ pacticipant_id: provider.id, number: 'p1', created_at: at })
      .returning('id')
      .execute();
    await trx
      .insertInto('environments')
      .values({ uuid: 'env-prod', name: 'prod', production: 1, created_at: at, updated_at: at })
      .execute();
    for (let c = 0; c < INTEGRATIONS; c++) {
      const [consumer] = await trx
        .insertInto('pacticipants')
        .values({ name: `Consumer${c}`, created_at: at, updated_at: at })
        .returning('id')
        .execute();
      await trx
        .insertInto('integrations')
        .values({ consumer_id: consumer.id, provider_id: provider.id, created_at: at })
        .execute();
      for (let start = 0; start < versions; start += 500) {
        const n = Math.min(500, versions - start);
        const vs = await trx
          .insertInto('versions')
          .values(
            Array.from({ length: n }, (_, i) => ({
              pacticipant_id: consumer.id,
              number: `v${start + i}`,
              created_at: at,
            })),
          )
          .returning('id')
          .execute();
        const pvs = await trx
          .insertInto('pact_versions')
          .values(
            vs.map((_, i) => ({
              consumer_id: consumer.id,
              provider_id: provider.id,
              sha: `${c}-${start + i}`,
              content: JSON.stringify(pact(`Consumer${c}`, 'Provider', start + i)),
              created_at: at,
            })),
          )
          .returning('id')
          .execute();
        await trx
          .insertInto('pact_publications')
          .values(
            vs.map((v, i) => ({
              consumer_id: consumer.id,
              provider_id: provider.id,
              consumer_version_id: v.id,
              pact_version_id: pvs[i].id,
              created_at: at,
            })),
          )
          .execute();
        await trx
          .insertInto('verifications')
          .values(
            pvs.map((p) => ({
              pact_version_id: p.id,
              provider_id: provider.id,
              consumer_id: consumer.id,
              provider_version_id: pv.id,
              success: 1,
              content: '{"success":true,"testResults":[]}',
              verified_at: at,
            })),
          )
          .execute();
        if (start + n >= versions)
          await trx
            .insertInto('deployed_versions')
            .values({
              uuid: `d-${c}`,
              version_id: vs[vs.length - 1].id,
              pacticipant_id: consumer.id,
              environment_uuid: 'env-prod',
              application_instance: null,
              created_at: at,
              undeployed_at: null,
            })
            .execute();
      }
    }
  });
  // A bulk load leaves the planner without statistics until autovacuum gets to it; a running
  // broker's database has them, so gather them before measuring (SQLite: PRAGMA optimize on open).
  const { sql } = await import('kysely');
  if (broker.storage.engine === 'postgres') await sql`ANALYZE`.execute(broker.storage.db);
  else await sql`PRAGMA optimize = 0x10002`.execute(broker.storage.db);

  return Date.now() - started;
}
