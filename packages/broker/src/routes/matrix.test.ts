import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, startBroker, type RunningBroker } from '../__fixtures__/engines.js';
import { call, publishSample, publishVerification, runPactCli } from '../__fixtures__/pact-cli.js';
import { parseEntries } from './matrix.js';

describe('matrix query parsing', () => {
  it('reads q[] entries in order, starting a new entry when a key repeats', () => {
    expect(
      parseEntries(
        '/matrix?q[][pacticipant]=Foo&q[][version]=1&q[][pacticipant]=Bar%20X&q[][latest]=true&q[][tag]=prod',
        'q',
      ),
    ).toEqual([
      { pacticipant: 'Foo', version: '1' },
      { pacticipant: 'Bar X', latest: 'true', tag: 'prod' },
    ]);
    expect(parseEntries('/matrix?q%5B%5D%5Bpacticipant%5D=Foo&q%5B%5D%5Bversion%5D=1.2.3', 'q')).toEqual([
      { pacticipant: 'Foo', version: '1.2.3' },
    ]);
  });
});

describe.each(engines)('matrix and can-i-deploy on $name', (engine) => {
  let running: RunningBroker;
  let url: string;
  let prodUuid: string;
  const canIDeploy = (...args: string[]) =>
    runPactCli('pact', ['broker', 'can-i-deploy', ...args, '--broker-base-url', url]);
  const deploy = (pacticipant: string, version: string, instance?: string) =>
    call(
      url,
      'POST',
      `/pacticipants/${pacticipant}/versions/${version}/deployed-versions/environment/${prodUuid}`,
      instance ? { applicationInstance: instance } : {},
    );

  beforeAll(async () => {
    running = await startBroker(engine);
    url = running.url;
    await publishSample(url, { consumer: 'Web', provider: 'Orders', version: 'w1', branch: 'main' });
    await publishSample(url, { consumer: 'Web', provider: 'Orders', version: 'w2', branch: 'main', marker: 'b' });
    await publishVerification(url, {
      consumer: 'Web',
      consumerVersion: 'w1',
      provider: 'Orders',
      providerVersion: 'o1',
      success: true,
    });
    await publishVerification(url, {
      consumer: 'Web',
      consumerVersion: 'w2',
      provider: 'Orders',
      providerVersion: 'o2',
      success: false,
    });
    await call(url, 'PUT', '/pacticipants/Orders/versions/o1/tags/prod');
    prodUuid = (await call(url, 'POST', '/environments', { name: 'production', production: true })).body.uuid;
    expect((await deploy('Orders', 'o1', 'eu')).status).toBe(201);
  });
  afterAll(async () => running?.stop());

  it('says yes when the version was verified by what is deployed to the environment', async () => {
    const run = await canIDeploy('--pacticipant', 'Web', '--version', 'w1', '--to-environment', 'production');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Computer says yes/);
  });

  it('says no (deployable false) when the verification by the deployed provider failed, and names it', async () => {
    const m = await call(
      url,
      'GET',
      '/matrix?q[][pacticipant]=Web&q[][version]=w2&q[][pacticipant]=Orders&q[][version]=o2&latestby=cvpv',
    );
    expect(m.body.summary).toMatchObject({ deployable: false, failed: 1 });
    expect(m.body.summary.reason).toMatch(/failed/);
    const run = await canIDeploy(
      '--pacticipant',
      'Web',
      '--version',
      'w2',
      '--pacticipant',
      'Orders',
      '--version',
      'o2',
    );
    expect(run.code).not.toBe(0);
    expect(run.stdout).toMatch(/Computer says no/);
  });

  it('leaves it open (deployable null) when a deployed provider version never verified the pact', async () => {
    const m = await call(
      url,
      'GET',
      '/matrix?q[][pacticipant]=Web&q[][version]=w2&latestby=cvpv&environment=production',
    );
    expect(m.body.summary).toMatchObject({ deployable: null, unknown: 1 });
    expect(m.body.summary.reason).toMatch(/There is no verified pact between version w2 of Web/);
    const run = await canIDeploy('--pacticipant', 'Web', '--version', 'w2', '--to-environment', 'production');
    expect(run.code).not.toBe(0);
  });

  it('checks every provider version deployed to the environment at once', async () => {
    expect((await deploy('Orders', 'o2', 'us')).status).toBe(201);
    const m = await call(
      url,
      'GET',
      '/matrix?q[][pacticipant]=Web&q[][version]=w1&latestby=cvpv&environment=production',
    );
    const rows = m.body.matrix.map((r: { provider: { version: { number: string } }; verificationResult: unknown }) => [
      r.provider.version.number,
      r.verificationResult === null ? 'unverified' : 'verified',
    ]);
    expect(rows.sort()).toEqual([
      ['o1', 'verified'],
      ['o2', 'unverified'],
    ]);
    expect(m.body.summary.deployable).toBe(null);
    const run = await canIDeploy('--pacticipant', 'Web', '--version', 'w1', '--to-environment', 'production');
    expect(run.code).not.toBe(0);
    const ignored = await canIDeploy(
      '--pacticipant',
      'Web',
      '--version',
      'w1',
      '--to-environment',
      'production',
      '--ignore',
      'Orders',
    );
    expect(ignored.code, ignored.stdout).toBe(0);
  });

  it('can-i-deploy --to a tag and --latest select the versions they name', async () => {
    const toTag = await canIDeploy('--pacticipant', 'Web', '--version', 'w1', '--to', 'prod');
    expect(toTag.code, toTag.stdout + toTag.stderr).toBe(0);
    const latest = await canIDeploy('--pacticipant', 'Web', '--latest', '--to', 'prod');
    expect(latest.code).not.toBe(0);
    expect(latest.stdout).toMatch(/w2/);
  });

  it('answers 400 with errors for a pacticipant that does not exist, and a reason for a version that does not', async () => {
    const missing = await call(
      url,
      'GET',
      '/matrix?q[][pacticipant]=Wiffle&q[][version]=1&q[][pacticipant]=Meep&q[][version]=2&latestby=cvpv',
    );
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual(['Pacticipant "Wiffle" not found', 'Pacticipant "Meep" not found']);
    const noVersion = await call(
      url,
      'GET',
      '/matrix?q[][pacticipant]=Web&q[][version]=w1&q[][pacticipant]=Orders&q[][version]=9.9.9&latestby=cvpv',
    );
    expect(noVersion.status).toBe(200);
    expect(noVersion.body.summary.deployable).toBe(false);
    expect(noVersion.body.summary.reason).toMatch(/No version with number 9.9.9 exists for Orders/);
  });
});
