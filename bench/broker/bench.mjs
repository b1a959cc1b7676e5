// Broker benchmarks: latest-pact reads, can-i-deploy at scale, publishing. Run against the built
// package (npx tsc -b); SQLite by default, PostgreSQL with CUTOVER_BENCH_POSTGRES_URL.
//
//   node bench/broker/bench.mjs                      # SQLite, 500 and 5,000 versions per consumer
//   VERSIONS=500,5000,50000 node bench/broker/bench.mjs
//   CUTOVER_BENCH_POSTGRES_URL=postgres://… node bench/broker/bench.mjs
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import pg from 'pg';
import { createBroker } from '../../packages/broker/dist/index.js';

const DURATION = Number(process.env.DURATION ?? 10);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 10);
const SCALES = (process.env.VERSIONS ?? '500,5000').split(',').map(Number);
const INTEGRATIONS = 20;
const PG_URL = process.env.CUTOVER_BENCH_POSTGRES_URL;

async function freshDatabase() {
  if (!PG_URL) {
    const dir = mkdtempSync(join(tmpdir(), 'cutover-broker-bench-'));
    return {
      config: { file: join(dir, 'broker.db') },
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `cutover_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return {
    config: { url: url.toString() },
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

const pact = (consumer, provider, marker) => ({
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

function run(opts) {
  return new Promise((resolve, reject) => {
    autocannon({ duration: DURATION, connections: CONNECTIONS, ...opts }, (err, result) =>
      err ? reject(err) : resolve(result),
    );
  });
}

const line = (what, r) =>
  `${what}: ${Math.round(r.requests.average)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, non-2xx ${r.non2xx}, errors ${r.errors}`;

/** Seeds a provider with INTEGRATIONS consumers × versions, each version with a pact and a verification, the latest of each deployed to prod. */
async function seed(broker, versions) {
  const db = broker.storage.db;
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
  void db;
  return Date.now() - started;
}

const engine = PG_URL ? 'PostgreSQL' : 'SQLite';
console.log(
  `broker benchmarks on ${engine}, ${DURATION}s per run, ${CONNECTIONS} connections, Node ${process.version}`,
);

for (const versions of SCALES) {
  const { config, drop } = await freshDatabase();
  const broker = await createBroker({ database: config });
  const url = await broker.listen({ port: 0 });
  try {
    const seededMs = await seed(broker, versions);
    console.log(
      `\n${INTEGRATIONS} integrations × ${versions} versions (${INTEGRATIONS * versions} pacts, each verified) seeded in ${seededMs} ms`,
    );
    const check = await (
      await fetch(`${url}/matrix?q[][pacticipant]=Provider&q[][version]=p1&latestby=cvpv&environment=prod`)
    ).json();
    if (check.summary.deployable !== true || check.matrix.length !== INTEGRATIONS)
      throw new Error(
        `can-i-deploy answered ${JSON.stringify(check.summary)} with ${check.matrix.length} rows; expected deployable with ${INTEGRATIONS}`,
      );
    console.log(
      line(
        'can-i-deploy Provider p1 to prod',
        await run({ url: `${url}/matrix?q[][pacticipant]=Provider&q[][version]=p1&latestby=cvpv&environment=prod` }),
      ),
    );
    console.log(
      line(
        'latest pact Consumer0 → Provider',
        await run({ url: `${url}/pacts/provider/Provider/consumer/Consumer0/latest` }),
      ),
    );
  } finally {
    await broker.close();
    await drop();
  }
}

{
  const { config, drop } = await freshDatabase();
  const broker = await createBroker({ database: config });
  const url = await broker.listen({ port: 0 });
  let n = 0;
  const result = await run({
    url: `${url}/contracts/publish`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (req) => {
          n++;
          const consumer = `Publisher${n % 50}`;
          return {
            ...req,
            body: JSON.stringify({
              pacticipantName: consumer,
              pacticipantVersionNumber: `v${n}`,
              branch: 'main',
              contracts: [
                {
                  consumerName: consumer,
                  providerName: 'Provider',
                  specification: 'pact',
                  contentType: 'application/json',
                  content: Buffer.from(JSON.stringify(pact(consumer, 'Provider', n))).toString('base64'),
                },
              ],
            }),
          };
        },
      },
    ],
  });
  const { count } = await broker.storage.db
    .selectFrom('pact_publications')
    .select((eb) => eb.fn.countAll().as('count'))
    .executeTakeFirstOrThrow();
  console.log(`\n${line('publish (one pact per request)', result)}; ${count} pacts stored`);
  await broker.close();
  await drop();
}
