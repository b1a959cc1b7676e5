import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, postgresSkipReason, startBroker, type RunningBroker } from './__fixtures__/engines.js';
import { call, publishSample, publishVerification, runPactCli } from './__fixtures__/pact-cli.js';
import { cleanBroker, createBroker, type CleanReport } from './index.js';

if (postgresSkipReason) console.warn(postgresSkipReason);

/**
 * A history of a consumer (Web) and a provider (Orders):
 * - Web on main w1…w5 (markers m1…m5), w1 deployed to production (it replaced w2 there), w3
 *   released to production; on feat-x f1 (same content as w4), f2, f3; w0 on no branch, tagged prod-legacy.
 * - Orders on main o1…o5: o1 verified m1, o2 m2, o3 m3 (and is deployed), o4 m4 (failed), o5 m4 and m5.
 * With keepLatest 2: Web w2 and f1 go (w2's old deployment and its content m2 with them), and
 * Orders o2 goes; o1 stays because it holds m1's (a kept version's) only verification.
 */
async function seed(url: string): Promise<void> {
  const web = (version: string, marker: string, branch?: string, tags?: string[]) =>
    publishSample(url, {
      consumer: 'Web',
      provider: 'Orders',
      version,
      marker,
      ...(branch ? { branch } : {}),
      ...(tags ? { tags } : {}),
    });
  await web('w0', 'm0', undefined, ['prod-legacy']);
  for (let i = 1; i <= 5; i++) await web(`w${i}`, `m${i}`, 'main');
  await web('f1', 'm4', 'feat-x');
  await web('f2', 'f2', 'feat-x');
  await web('f3', 'f3', 'feat-x');
  const verify = (consumerVersion: string, providerVersion: string, success = true) =>
    publishVerification(url, {
      consumer: 'Web',
      consumerVersion,
      provider: 'Orders',
      providerVersion,
      success,
      branch: 'main',
    });
  await verify('w1', 'o1');
  await verify('w2', 'o2');
  await verify('w3', 'o3');
  await verify('w4', 'o4', false);
  await verify('w4', 'o5');
  await verify('w5', 'o5');
  const prod = (await call(url, 'POST', '/environments', { name: 'production', production: true })).body.uuid;
  const record = async (kind: 'deployed' | 'released', p: string, v: string) =>
    expect(
      (await call(url, 'POST', `/pacticipants/${p}/versions/${v}/${kind}-versions/environment/${prod}`, {})).status,
    ).toBe(201);
  await record('deployed', 'Web', 'w2');
  await record('deployed', 'Web', 'w1');
  await record('released', 'Web', 'w3');
  await record('deployed', 'Orders', 'o3');
}

async function versionsOf(running: RunningBroker): Promise<string[]> {
  const rows = await running.broker.storage.db
    .selectFrom('versions')
    .innerJoin('pacticipants', 'pacticipants.id', 'versions.pacticipant_id')
    .select(['pacticipants.name', 'versions.number'])
    .execute();
  return rows.map((r) => `${r.name} ${r.number}`).sort();
}

async function tableCounts(running: RunningBroker): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of [
    'versions',
    'pact_versions',
    'pact_publications',
    'verifications',
    'deployed_versions',
    'tags',
  ] as const) {
    const row = await running.broker.storage.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}

/** What the clients ask about kept versions: can-i-deploy to production and the pacts to verify on main (with pending status). */
async function answers(url: string, kept: string[]) {
  const out: Record<string, unknown> = {};
  for (const pv of kept) {
    const [pacticipant, version] = pv.split(' ') as [string, string];
    const m = await call(
      url,
      'GET',
      `/can-i-deploy?pacticipant=${pacticipant}&version=${version}&environment=production`,
    );
    out[`can-i-deploy ${pv}`] = { status: m.status, summary: m.body.summary };
    const latest = await call(
      url,
      'GET',
      `/matrix?q[][pacticipant]=${pacticipant}&q[][version]=${version}&latestby=cvp&latest=true`,
    );
    out[`matrix ${pv}`] = { status: latest.status, summary: latest.body.summary };
  }
  const forVerification = await call(url, 'POST', '/pacts/provider/Orders/for-verification', {
    consumerVersionSelectors: [{ mainBranch: true }, { branch: 'feat-x' }, { deployedOrReleased: true }],
    includePendingStatus: true,
    providerVersionBranch: 'main',
  });
  out['for-verification'] = forVerification.body._embedded.pacts.map(
    (p: { shortDescription: string; verificationProperties: unknown }) => [
      p.shortDescription,
      p.verificationProperties,
    ],
  );
  return out;
}

const KEPT = [
  'Orders o1',
  'Orders o3',
  'Orders o4',
  'Orders o5',
  'Web f2',
  'Web f3',
  'Web w0',
  'Web w1',
  'Web w3',
  'Web w4',
  'Web w5',
];

describe.each(engines)('cutover broker clean on $name', (engine) => {
  let running: RunningBroker;
  let url: string;
  let before: Awaited<ReturnType<typeof answers>>;
  let countsBefore: Record<string, number>;
  let shas: Record<string, string>;
  let dryRun: CleanReport;
  let report: CleanReport;

  beforeAll(async () => {
    running = await startBroker(engine);
    url = running.url;
    await seed(url);
    const sha = async (v: string) =>
      (
        await running.broker.storage.db
          .selectFrom('pact_publications')
          .innerJoin('versions', 'versions.id', 'pact_publications.consumer_version_id')
          .innerJoin('pact_versions', 'pact_versions.id', 'pact_publications.pact_version_id')
          .where('versions.number', '=', v)
          .select('pact_versions.sha')
          .executeTakeFirstOrThrow()
      ).sha;
    shas = { w2: await sha('w2'), w4: await sha('w4') };
    before = await answers(url, KEPT);
    countsBefore = await tableCounts(running);
    dryRun = await cleanBroker({ database: running.database, keepLatest: 2, dryRun: true });
    report = await cleanBroker({ database: running.database, keepLatest: 2 });
  }, 120_000);
  afterAll(async () => running?.stop());

  it('a dry run reports what would go and deletes nothing', async () => {
    expect(dryRun.dryRun).toBe(true);
    expect(dryRun.deleted).toEqual({ ...report.deleted });
    // The dry run ran first: had it deleted anything, the real clean would have found less to delete.
    expect(report.deleted.versions).toHaveLength(3);
  });

  it('keeps the latest N per branch and tag, deployed and released versions, and what kept pacts need; deletes the rest', async () => {
    expect(report.deleted.versions.map((v) => `${v.pacticipant} ${v.number}`)).toEqual([
      'Orders o2',
      'Web w2',
      'Web f1',
    ]);
    expect(report.deleted.versions.find((v) => v.number === 'f1')?.branches).toEqual(['feat-x']);
    expect(await versionsOf(running)).toEqual(KEPT);
    expect(report.keptVersions).toBe(KEPT.length);
    expect(report.deleted).toMatchObject({
      pactContents: 1, // m2 (f1's content is w4's, which stays)
      pactPublications: 2, // w2's and f1's
      verifications: 1, // o2's of m2
      deployments: 1, // w2's, replaced by w1
      releases: 0,
      integrations: 0,
    });
    const counts = await tableCounts(running);
    expect(counts).toEqual({
      ...countsBefore,
      versions: countsBefore.versions! - 3,
      pact_versions: countsBefore.pact_versions! - 1,
      pact_publications: countsBefore.pact_publications! - 2,
      verifications: countsBefore.verifications! - 1,
      deployed_versions: countsBefore.deployed_versions! - 1,
    });
  });

  it('deletes pact content no kept version publishes, and keeps content a deleted version shared with a kept one', async () => {
    expect((await call(url, 'GET', `/pacts/provider/Orders/consumer/Web/pact-version/${shas.w2}`)).status).toBe(404);
    expect((await call(url, 'GET', `/pacts/provider/Orders/consumer/Web/pact-version/${shas.w4}`)).status).toBe(200);
    expect((await call(url, 'GET', '/pacts/provider/Orders/consumer/Web/version/f1')).status).toBe(404);
  });

  it('answers can-i-deploy, the matrix and pacts for verification (pending status) for kept versions as before', async () => {
    expect(await answers(url, KEPT)).toEqual(before);
  });

  it('keeps what is deployed and released: the stock can-i-deploy still says yes for them', async () => {
    const run = await runPactCli('pact', [
      'broker',
      'can-i-deploy',
      '--pacticipant',
      'Web',
      '--version',
      'w3',
      '--to-environment',
      'production',
      '--broker-base-url',
      url,
    ]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const deployed = await call(url, 'GET', '/environments');
    const prod = deployed.body._embedded.environments[0].uuid as string;
    const current = await call(url, 'GET', `/environments/${prod}/deployed-versions/currently-deployed`);
    expect(
      current.body._embedded.deployedVersions
        .map((d: { _embedded: { version: { number: string } } }) => d._embedded.version.number)
        .sort(),
    ).toEqual(['o3', 'w1']);
  });

  it('a second clean finds nothing more to delete, and publishing goes on as before', async () => {
    const again = await cleanBroker({ database: running.database, keepLatest: 2 });
    expect(again.deleted.versions).toEqual([]);
    await publishSample(url, { consumer: 'Web', provider: 'Orders', version: 'w6', branch: 'main', marker: 'm2' });
    const run = await runPactCli('pact', [
      'broker',
      'describe-version',
      '--pacticipant',
      'Web',
      '--latest',
      '--broker-base-url',
      url,
    ]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/w6/);
  });

  it('keeps versions newer than keepNewerThanMs whatever their rank', async () => {
    const clock = new Date(Date.now() + 60_000);
    const keepAll = await cleanBroker({
      database: running.database,
      keepLatest: 1,
      keepNewerThanMs: 3_600_000,
      now: clock,
      dryRun: true,
    });
    expect(keepAll.deleted.versions).toEqual([]);
    const keepRanked = await cleanBroker({ database: running.database, keepLatest: 1, dryRun: true });
    expect(keepRanked.deleted.versions.map((v) => `${v.pacticipant} ${v.number}`)).toContain('Web w4');
  });
});

describe('cleanBroker refusals', () => {
  it('refuses keepLatest below 1 and a database file that does not exist, with coded errors naming them', async () => {
    await expect(cleanBroker({ database: { file: ':memory:' }, keepLatest: 0 })).rejects.toMatchObject({
      code: 'CUTOVER_USAGE',
      message: expect.stringMatching(/keep-latest/),
    });
    await expect(cleanBroker({ database: { file: '/nonexistent/broker.db' }, keepLatest: 5 })).rejects.toMatchObject({
      code: 'CUTOVER_BROKER_STORAGE_FAILED',
      message: expect.stringContaining('/nonexistent/broker.db'),
    });
  });
});

describe('retention schedule', () => {
  it('cleans when the broker starts and then on its timer, and stops with the broker', async () => {
    const cleaned: CleanReport[] = [];
    const broker = await createBroker({
      database: { file: ':memory:' },
      retention: { keepLatest: 1, everyMs: 1_000, onClean: (r) => cleaned.push(r) },
    });
    try {
      const url = await broker.listen({ port: 0 });
      await expect.poll(() => cleaned.length).toBeGreaterThanOrEqual(1);
      await publishSample(url, { consumer: 'Web', provider: 'Orders', version: 'a', branch: 'main', marker: 'a' });
      await publishSample(url, { consumer: 'Web', provider: 'Orders', version: 'b', branch: 'main', marker: 'b' });
      await expect
        .poll(() => cleaned.flatMap((r) => r.deleted.versions.map((v) => v.number)), { timeout: 5_000 })
        .toEqual(['a']);
    } finally {
      await broker.close();
    }
    const count = cleaned.length;
    await new Promise((r) => setTimeout(r, 1_500));
    expect(cleaned.length).toBe(count);
  });

  it('refuses a schedule shorter than a second', async () => {
    await expect(
      createBroker({ database: { file: ':memory:' }, retention: { keepLatest: 1, everyMs: 10 } }),
    ).rejects.toMatchObject({ code: 'CUTOVER_CONFIG_INVALID' });
  });
});
