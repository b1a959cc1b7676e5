import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, startBroker, type RunningBroker } from '../__fixtures__/engines.js';
import { call, publishSample, runPactCli } from '../__fixtures__/pact-cli.js';

/** A provider that answers the sample pacts: GET /things/{id} → { id }, or a wrong body when `broken`. */
async function startProvider(broken = false): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (req.method === 'POST') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      return;
    }
    const id = decodeURIComponent(req.url!.split('/').pop()!);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: broken ? 42 : id }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

type ForVerification = {
  _embedded: {
    pacts: {
      shortDescription: string;
      verificationProperties: { pending?: boolean; wip?: boolean; notices: { when: string; text: string }[] };
      _links: { self: { href: string; name: string } };
    }[];
  };
};

describe.each(engines)('pacts for verification on $name', (engine) => {
  let running: RunningBroker;
  let url: string;
  const forVerification = async (body: unknown) => {
    const res = await call(url, 'POST', '/pacts/provider/Orders/for-verification', body);
    expect(res.status).toBe(200);
    return res.body as ForVerification;
  };
  const names = (r: ForVerification) => r._embedded.pacts.map((p) => p._links.self.name).sort();

  beforeAll(async () => {
    running = await startBroker(engine);
    url = running.url;
    await call(url, 'PATCH', '/pacticipants/Web', { mainBranch: 'main' });
    await publishSample(url, { consumer: 'Web', provider: 'Orders', version: 'w1', branch: 'main', tags: ['prod'] });
    await publishSample(url, { consumer: 'Web', provider: 'Orders', version: 'w2', branch: 'main', marker: 'b' });
    await publishSample(url, { consumer: 'Web', provider: 'Orders', version: 'w3', branch: 'feat-x', marker: 'c' });
    await publishSample(url, {
      consumer: 'Mobile',
      provider: 'Orders',
      version: 'm1',
      branch: 'develop',
      tags: ['prod'],
    });
    await publishSample(url, { consumer: 'Mobile', provider: 'Orders', version: 'm2', branch: 'develop', marker: 'd' });
    await publishSample(url, {
      consumer: 'Mobile',
      provider: 'Billing',
      version: 'm2',
      branch: 'develop',
      marker: 'e',
    });
  });
  afterAll(async () => running?.stop());

  it('mainBranch selects the newest pact of each consumer main branch, set or detected from the first version on develop, main or master', async () => {
    // Web's main branch was set; Mobile's is detected from its first version, on develop.
    expect(names(await forVerification({ consumerVersionSelectors: [{ mainBranch: true }] }))).toEqual([
      'Pact between Mobile (m2) and Orders',
      'Pact between Web (w2) and Orders',
    ]);
  });

  it('branch with fallbackBranch falls back per consumer, and consumer narrows a selector', async () => {
    expect(
      names(await forVerification({ consumerVersionSelectors: [{ branch: 'feat-x', fallbackBranch: 'develop' }] })),
    ).toEqual(['Pact between Mobile (m2) and Orders', 'Pact between Web (w3) and Orders']);
    expect(
      names(await forVerification({ consumerVersionSelectors: [{ branch: 'develop', consumer: 'Web' }] })),
    ).toEqual([]);
  });

  it('tag with latest, fallbackTag, and all versions of a tag', async () => {
    expect(names(await forVerification({ consumerVersionSelectors: [{ tag: 'prod', latest: true }] }))).toEqual([
      'Pact between Mobile (m1) and Orders',
      'Pact between Web (w1) and Orders',
    ]);
    expect(
      names(await forVerification({ consumerVersionSelectors: [{ tag: 'none', latest: true, fallbackTag: 'prod' }] })),
    ).toHaveLength(2);
  });

  it('matchingBranch selects the consumer branch named like the provider branch', async () => {
    const r = await forVerification({
      consumerVersionSelectors: [{ matchingBranch: true }],
      providerVersionBranch: 'feat-x',
    });
    expect(names(r)).toEqual(['Pact between Web (w3) and Orders']);
  });

  it('deployed, released and environment selectors follow what is recorded in each environment', async () => {
    const env = await call(url, 'POST', '/environments', { name: 'production', production: true });
    const uuid = env.body.uuid as string;
    expect(
      (await call(url, 'POST', `/pacticipants/Web/versions/w1/deployed-versions/environment/${uuid}`, {})).status,
    ).toBe(201);
    expect(
      (await call(url, 'POST', `/pacticipants/Mobile/versions/m1/released-versions/environment/${uuid}`, {})).status,
    ).toBe(201);
    expect(names(await forVerification({ consumerVersionSelectors: [{ deployed: true }] }))).toEqual([
      'Pact between Web (w1) and Orders',
    ]);
    expect(names(await forVerification({ consumerVersionSelectors: [{ released: true }] }))).toEqual([
      'Pact between Mobile (m1) and Orders',
    ]);
    expect(names(await forVerification({ consumerVersionSelectors: [{ environment: 'production' }] }))).toHaveLength(2);
    expect(
      names(
        await forVerification({ consumerVersionSelectors: [{ deployedOrReleased: true, environment: 'staging' }] }),
      ),
    ).toEqual([]);
  });

  it('refuses a selector the Pact Broker refuses, naming it', async () => {
    const res = await call(url, 'POST', '/pacts/provider/Orders/for-verification', {
      consumerVersionSelectors: [{ mainBranch: true }, { fallbackTag: 'x' }],
    });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.errors)).toEqual(['consumerVersionSelectors[1]']);
    const unknown = await call(url, 'POST', '/pacts/provider/Orders/for-verification', {
      consumerVersionSelectors: [{ colour: 'red' }],
    });
    expect(unknown.status).toBe(400);
  });

  it('pact-verifier verifies the selected pacts, publishes its results, and the pact stops being pending for that branch', async () => {
    const selectors = {
      consumerVersionSelectors: [{ mainBranch: true }],
      includePendingStatus: true,
      providerVersionBranch: 'main',
    };
    const before = await forVerification(selectors);
    expect(before._embedded.pacts[0]!.verificationProperties.pending).toBe(true);
    expect(before._embedded.pacts[0]!.verificationProperties.notices.map((n) => n.text).join('\n')).toMatch(
      /pending state/,
    );
    const provider = await startProvider();
    try {
      const run = await runPactCli('pact-verifier', [
        '--broker-url',
        url,
        '--provider-name',
        'Orders',
        '--hostname',
        '127.0.0.1',
        '--port',
        String(provider.port),
        '--consumer-version-selectors',
        JSON.stringify({ mainBranch: true }),
        '--enable-pending',
        '--publish',
        '--provider-version',
        'o1',
        '--provider-branch',
        'main',
        '--state-change-url',
        `http://127.0.0.1:${provider.port}/_state`,
      ]);
      expect(run.code, run.stdout + run.stderr).toBe(0);
    } finally {
      await provider.close();
    }
    const after = await forVerification(selectors);
    expect(after._embedded.pacts[0]!.verificationProperties.pending).toBe(false);
    // Another provider branch has not verified it yet: still pending there.
    const other = await forVerification({ ...selectors, providerVersionBranch: 'feat-y' });
    expect(other._embedded.pacts[0]!.verificationProperties.pending).toBe(true);
    const version = await call(url, 'GET', '/pacticipants/Orders/versions/o1');
    expect(version.body._embedded.branchVersions.map((b: { name: string }) => b.name)).toEqual(['main']);
  });

  it('a failing pending pact does not fail pact-verifier, and is published as failed', async () => {
    const provider = await startProvider(true);
    try {
      const run = await runPactCli('pact-verifier', [
        '--broker-url',
        url,
        '--provider-name',
        'Orders',
        '--hostname',
        '127.0.0.1',
        '--port',
        String(provider.port),
        '--consumer-version-selectors',
        JSON.stringify({ branch: 'develop' }),
        '--enable-pending',
        '--publish',
        '--provider-version',
        'o2',
        '--provider-branch',
        'feat-z',
      ]);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.stdout + run.stderr).toMatch(/pending/i);
    } finally {
      await provider.close();
    }
    const rows = await running.broker.storage.db
      .selectFrom('verifications')
      .innerJoin('versions', 'versions.id', 'verifications.provider_version_id')
      .select(['versions.number', 'verifications.success'])
      .where('versions.number', '=', 'o2')
      .execute();
    expect(rows.map((r) => Number(r.success))).toEqual([0]);
  });

  it('includeWipPactsSince adds unselected new pacts that this provider branch has not verified, marked wip and pending', async () => {
    const r = await forVerification({
      consumerVersionSelectors: [{ mainBranch: true }],
      includePendingStatus: true,
      providerVersionBranch: 'main',
      includeWipPactsSince: '2000-01-01T00:00:00Z',
    });
    const wip = r._embedded.pacts.filter((p) => p.verificationProperties.wip);
    // Branch heads the selectors did not pick only: m2 heads Mobile's main branch, m1 no branch.
    expect(wip.map((p) => p._links.self.name).sort()).toEqual(['Pact between Web (w3) and Orders']);
    expect(wip.every((p) => p.verificationProperties.pending)).toBe(true);
  });
});
