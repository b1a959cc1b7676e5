import { afterEach, describe, expect, it } from 'vitest';
import { BrokerClient } from './http.js';
import { canIDeploy, matrix } from './matrix.js';
import { createEnvironment, listEnvironments, publishContracts, recordDeployment, recordRelease } from './publisher.js';
import { listDecisions, recordDecision } from './decisions.js';
import { startStubBroker, type StubBroker, type StubRoutes } from './__fixtures__/stub-broker.js';

const open: StubBroker[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function stub(routes: StubRoutes): Promise<{ stub: StubBroker; client: BrokerClient }> {
  const broker = await startStubBroker(routes);
  open.push(broker);
  return { stub: broker, client: new BrokerClient({ url: broker.url, auth: { token: 'write-token' } }) };
}

const pact = { consumer: { name: 'web-app' }, provider: { name: 'logistics' }, interactions: [] };

describe('publishContracts', () => {
  it('posts the version, branch, tags and each pact base64-encoded to the index link, returning the notices', async () => {
    const { stub: broker, client } = await stub({
      'GET /': (_req, base) => ({
        body: { _links: { 'pb:publish-contracts': { href: `${base}/contracts/publish` } } },
      }),
      'POST /contracts/publish': () => ({
        body: { notices: [{ type: 'success', text: 'Created web-app version 7' }, { type: 'info' }], _links: {} },
      }),
    });
    const result = await publishContracts(client, {
      pacticipant: 'web-app',
      version: '7',
      branch: 'main',
      tags: ['prod'],
      buildUrl: 'https://ci.example/1',
      contracts: [{ content: pact }, { content: JSON.stringify({ ...pact, provider: { name: 'billing' } }) }],
    });
    expect(result.notices).toEqual([{ type: 'success', text: 'Created web-app version 7' }]);
    const body = broker.received[1]!.json as { contracts: { content: string }[] };
    expect(body).toEqual({
      pacticipantName: 'web-app',
      pacticipantVersionNumber: '7',
      branch: 'main',
      tags: ['prod'],
      buildUrl: 'https://ci.example/1',
      contracts: [
        expect.objectContaining({
          consumerName: 'web-app',
          providerName: 'logistics',
          specification: 'pact',
          contentType: 'application/json',
        }),
        expect.objectContaining({ consumerName: 'web-app', providerName: 'billing' }),
      ],
    });
    expect(JSON.parse(Buffer.from(body.contracts[0]!.content, 'base64').toString())).toEqual(pact);
    expect(broker.received[1]!.headers.authorization).toBe('Bearer write-token');
  });

  it('reports a 409 for changed content of a published version with the status and the broker message', async () => {
    const { client } = await stub({
      'GET /': () => ({ body: {} }),
      'POST /contracts/publish': () => ({
        status: 409,
        body: { errors: { contracts: ['Cannot change the content of the pact for web-app version 7'] } },
      }),
    });
    await expect(
      publishContracts(client, { pacticipant: 'web-app', version: '7', contracts: [{ content: pact }] }),
    ).rejects.toMatchObject({
      code: 'CUTOVER_BROKER_FAILED',
      status: 409,
      message: expect.stringMatching(/contracts\/publish: the broker answered HTTP 409: .*Cannot change the content/),
    });
  });

  it('refuses a contract that is not JSON or names no consumer before sending anything', async () => {
    const { stub: broker, client } = await stub({});
    await expect(
      publishContracts(client, { pacticipant: 'web-app', version: '7', contracts: [{ content: '{' }] }),
    ).rejects.toMatchObject({
      code: 'CUTOVER_USAGE',
      message: 'Contract #1 of web-app 7 is not JSON',
    });
    await expect(
      publishContracts(client, {
        pacticipant: 'web-app',
        version: '7',
        contracts: [{ content: { interactions: [] } }],
      }),
    ).rejects.toThrow('Contract #1 of web-app 7 names no consumer or provider (consumer.name, provider.name)');
    expect(broker.received).toEqual([]);
  });
});

describe('matrix and can-i-deploy', () => {
  const answer = {
    summary: { deployable: null, reason: 'There is no verified pact between web-app (7) and logistics' },
    matrix: [
      {
        consumer: { name: 'web-app', version: { number: '7' } },
        provider: { name: 'logistics', version: null },
        verificationResult: null,
      },
    ],
    notices: [{ type: 'warning', text: 'no verification' }],
  };

  it('asks can-i-deploy for a version to an environment, keeping deployable null and its reason', async () => {
    const { stub: broker, client } = await stub({ 'GET /matrix': () => ({ body: answer }) });
    const result = await canIDeploy(client, {
      pacticipant: 'web-app',
      version: '7',
      toEnvironment: 'production',
      ignore: [{ pacticipant: 'billing' }],
    });
    expect(result.summary).toEqual(answer.summary);
    expect(result.notices).toEqual(answer.notices);
    expect(decodeURIComponent(broker.received[0]!.rawUrl)).toBe(
      '/matrix?q[][pacticipant]=web-app&q[][version]=7&ignore[][pacticipant]=billing&latestby=cvp&environment=production',
    );
  });

  it('asks for the latest version on a branch against the latest versions with a tag', async () => {
    const { stub: broker, client } = await stub({ 'GET /matrix': () => ({ body: answer }) });
    await canIDeploy(client, { pacticipant: 'web-app', latest: true, branch: 'main', to: 'prod' });
    expect(decodeURIComponent(broker.received[0]!.rawUrl)).toBe(
      '/matrix?q[][pacticipant]=web-app&q[][latest]=true&q[][branch]=main&latestby=cvp&latest=true&tag=prod',
    );
    await expect(canIDeploy(client, { pacticipant: 'web-app' })).rejects.toMatchObject({ code: 'CUTOVER_USAGE' });
  });

  it('queries the matrix for exact versions, and refuses an answer that is not a matrix', async () => {
    const { stub: broker, client } = await stub({
      'GET /matrix': (req) => ({
        body: req.search.get('latestby') === 'cvpv' ? { ...answer, summary: { deployable: true } } : { error: 'x' },
      }),
    });
    const selectors = [
      { pacticipant: 'web-app', version: '7' },
      { pacticipant: 'logistics', version: '1.4.0' },
    ];
    expect((await matrix(client, { selectors, latestby: 'cvpv' })).summary.deployable).toBe(true);
    expect(decodeURIComponent(broker.received[0]!.rawUrl)).toBe(
      '/matrix?q[][pacticipant]=web-app&q[][version]=7&q[][pacticipant]=logistics&q[][version]=1.4.0&latestby=cvpv',
    );
    await expect(matrix(client, { selectors })).rejects.toThrow(/the answer has no "matrix" list and "summary"/);
  });
});

describe('environments, deployments and releases', () => {
  const versionPath = '/pacticipants/logistics/versions/1.4.0';
  const routes: StubRoutes = {
    'GET /': (_req, base) => ({
      body: { _links: { 'pb:pacticipant-version': { href: `${base}/pacticipants/{pacticipant}/versions/{version}` } } },
    }),
    'POST /environments': (req) => ({ status: 201, body: { uuid: 'env-1', ...(req.json as object) } }),
    'GET /environments': () => ({
      body: { _embedded: { environments: [{ uuid: 'env-1', name: 'production', production: true }] } },
    }),
    [`GET ${versionPath}`]: (_req, base) => ({
      body: {
        number: '1.4.0',
        _links: {
          'pb:record-deployment': [
            { name: 'test', href: `${base}${versionPath}/deployed-versions/environment/env-0` },
            { name: 'production', href: `${base}${versionPath}/deployed-versions/environment/env-1` },
          ],
          'pb:record-release': [
            { name: 'production', href: `${base}${versionPath}/released-versions/environment/env-1` },
          ],
        },
      },
    }),
    [`POST ${versionPath}/deployed-versions/environment/env-1`]: () => ({ status: 201, body: { uuid: 'd-1' } }),
    [`POST ${versionPath}/released-versions/environment/env-1`]: () => ({ status: 201, body: { uuid: 'r-1' } }),
  };

  it('creates and lists environments', async () => {
    const { stub: broker, client } = await stub(routes);
    expect(await createEnvironment(client, { name: 'production', production: true })).toEqual({
      uuid: 'env-1',
      name: 'production',
      production: true,
    });
    expect(broker.received[0]!.json).toEqual({ name: 'production', production: true });
    expect(await listEnvironments(client)).toEqual([{ uuid: 'env-1', name: 'production', production: true }]);
  });

  it("records a deployment and a release through the version's links for the environment", async () => {
    const { stub: broker, client } = await stub(routes);
    expect(
      await recordDeployment(client, {
        pacticipant: 'logistics',
        version: '1.4.0',
        environment: 'production',
        applicationInstance: 'blue',
      }),
    ).toEqual({ uuid: 'd-1' });
    expect(
      await recordRelease(client, { pacticipant: 'logistics', version: '1.4.0', environment: 'production' }),
    ).toEqual({ uuid: 'r-1' });
    const posts = broker.received.filter((r) => r.method === 'POST');
    expect(posts.map((r) => [r.path, r.json])).toEqual([
      [`${versionPath}/deployed-versions/environment/env-1`, { applicationInstance: 'blue' }],
      [`${versionPath}/released-versions/environment/env-1`, {}],
    ]);
  });

  it('names the environments the broker offers when the one asked for is unknown', async () => {
    const { client } = await stub(routes);
    await expect(
      recordDeployment(client, { pacticipant: 'logistics', version: '1.4.0', environment: 'staging' }),
    ).rejects.toMatchObject({
      code: 'CUTOVER_BROKER_FAILED',
      message: expect.stringContaining(
        'no "pb:record-deployment" link for environment "staging" (the broker offers: test, production)',
      ),
    });
  });
});

describe('cutover decisions', () => {
  it('records a decision with POST /cutover/decisions and reads the history per route and candidate version', async () => {
    const history = [{ format: 'cutover.gate-decision/v1', outcome: 'allowed' }];
    const { stub: broker, client } = await stub({
      'POST /cutover/decisions': (_req, base) => ({
        status: 201,
        headers: { location: `${base}/cutover/decisions/1` },
      }),
      'GET /cutover/decisions': () => ({ body: { _embedded: { decisions: history } } }),
    });
    expect(await recordDecision(client, { format: 'cutover.gate-decision/v1', outcome: 'allowed' })).toEqual({
      recorded: true,
      url: `${broker.url}/cutover/decisions`,
      location: `${broker.url}/cutover/decisions/1`,
    });
    expect(broker.received[0]!.json).toEqual({ format: 'cutover.gate-decision/v1', outcome: 'allowed' });
    expect(await listDecisions(client, { route: 'tracking api', candidateVersion: '1.4.0' })).toEqual(history);
    expect(broker.received[1]!.rawUrl).toBe('/cutover/decisions?route=tracking+api&candidateVersion=1.4.0');
  });

  it('warns, never claims success, when a stock Pact Broker answers 404', async () => {
    const { client } = await stub({});
    const outcome = await recordDecision(client, {});
    expect(outcome.recorded).toBe(false);
    expect(outcome.recorded === false && outcome.warning).toMatch(
      /not recorded: .*answered 404; this broker does not implement cutover's decision history/,
    );
  });

  it('warns when the broker cannot be reached', async () => {
    const outcome = await recordDecision(new BrokerClient({ url: 'http://127.0.0.1:9', timeoutMs: 1000 }), {});
    expect(outcome.recorded === false && outcome.warning).toMatch(/not recorded: .*cannot be reached/);
  });

  it('refuses a history answer that is not a list of decisions', async () => {
    const { client } = await stub({ 'GET /cutover/decisions': () => ({ body: { decisions: [] } }) });
    await expect(listDecisions(client)).rejects.toThrow(/the answer has no _embedded.decisions list of objects/);
  });
});
