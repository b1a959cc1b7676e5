import { afterEach, describe, expect, it } from 'vitest';
import { BrokerClient } from './http.js';
import {
  createBranchVersion,
  fetchPact,
  latestProviderPacts,
  pactsForVerification,
  publishVerificationResult,
} from './verification.js';
import { startStubBroker, type StubBroker } from './__fixtures__/stub-broker.js';

const open: StubBroker[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

const PACT_PATH = '/pacts/provider/logistics/consumer/web-app/pact-version/abc123';

/** A broker whose index points pacts-for-verification at a non-default path, as a broker behind a proxy may. */
async function broker(): Promise<StubBroker> {
  const stub = await startStubBroker({
    'GET /': (_req, base) => ({
      body: {
        _links: {
          'pb:provider-pacts-for-verification': { href: `${base}/pfv/{provider}`, templated: true },
        },
      },
    }),
    'POST /pfv/logistics%20api': () => ({
      body: {
        _embedded: {
          pacts: [
            {
              shortDescription: 'latest from main of web-app',
              verificationProperties: {
                pending: true,
                wip: true,
                notices: [{ when: 'before_verification', text: 'This pact is in pending state' }, { text: 42 }],
              },
              _links: { self: { href: PACT_PATH, name: 'Pact between web-app and logistics' } },
            },
          ],
        },
      },
    }),
    [`GET ${PACT_PATH}`]: () => ({
      body: {
        consumer: { name: 'web-app' },
        provider: { name: 'logistics' },
        interactions: [],
        _links: { 'pb:publish-verification-results': { href: `${PACT_PATH}/verification-results` } },
      },
    }),
    [`POST ${PACT_PATH}/verification-results`]: () => ({ status: 201, body: {} }),
    'PUT /pacticipants/logistics/branches/feat%2Fx/versions/1.2.3': () => ({ body: {} }),
    'GET /pacts/provider/logistics/latest': (_req, base) => ({
      body: {
        _links: {
          'pb:pacts': [
            { href: `${base}/pacts/provider/logistics/consumer/web-app/latest`, name: 'web-app' },
            { href: '/pacts/provider/logistics/consumer/mobile-app/latest', name: 'mobile-app' },
          ],
        },
      },
    }),
    'GET /pacts/provider/other/latest': () => ({ body: { _links: {} } }),
  });
  open.push(stub);
  return stub;
}

describe('pactsForVerification', () => {
  it('follows the index link and sends selectors, the provider branch, pending and WIP, returning pending, WIP and notices', async () => {
    const stub = await broker();
    const client = new BrokerClient({ url: stub.url });
    const pacts = await pactsForVerification(client, {
      provider: 'logistics api',
      consumerVersionSelectors: [{ mainBranch: true }, { deployedOrReleased: true }],
      providerVersionBranch: 'main',
      includeWipPactsSince: '2026-01-01',
    });
    expect(pacts).toEqual([
      {
        url: `${stub.url}${PACT_PATH}`,
        pending: true,
        wip: true,
        shortDescription: 'latest from main of web-app',
        notices: [{ when: 'before_verification', text: 'This pact is in pending state' }],
      },
    ]);
    expect(stub.received.map((r) => `${r.method} ${r.rawUrl}`)).toEqual(['GET /', 'POST /pfv/logistics%20api']);
    expect(stub.received[1]!.json).toEqual({
      consumerVersionSelectors: [{ mainBranch: true }, { deployedOrReleased: true }],
      includePendingStatus: true,
      providerVersionBranch: 'main',
      includeWipPactsSince: '2026-01-01',
    });
  });

  it('asks for the recommended selectors without pending status when no branch is given', async () => {
    const stub = await broker();
    await pactsForVerification(new BrokerClient({ url: stub.url }), { provider: 'logistics api' });
    expect(stub.received[1]!.json).toEqual({
      consumerVersionSelectors: [{ mainBranch: true }, { deployedOrReleased: true }],
      includePendingStatus: false,
    });
  });

  it('refuses a misspelt selector before contacting the broker', async () => {
    const stub = await broker();
    await expect(
      pactsForVerification(new BrokerClient({ url: stub.url }), {
        provider: 'logistics',
        consumerVersionSelectors: [{ mainBrnch: true } as never],
      }),
    ).rejects.toMatchObject({ code: 'CUTOVER_USAGE', message: expect.stringContaining('unknown key "mainBrnch"') });
    expect(stub.received).toEqual([]);
  });

  it('refuses an answer without the pacts list, naming the URL', async () => {
    const stub = await startStubBroker({
      'GET /': () => ({ body: {} }),
      'POST /pacts/provider/x/for-verification': () => ({ body: {} }),
    });
    open.push(stub);
    await expect(pactsForVerification(new BrokerClient({ url: stub.url }), { provider: 'x' })).rejects.toMatchObject({
      code: 'CUTOVER_BROKER_FAILED',
      message: `Broker POST ${stub.url}/pacts/provider/x/for-verification: the answer has no _embedded.pacts list`,
    });
  });
});

describe('pacts and verification results', () => {
  it('fetches a pact, creates the provider version on its branch and posts results to the pact link', async () => {
    const stub = await broker();
    const client = new BrokerClient({ url: stub.url });
    const pact = await fetchPact(client, PACT_PATH);
    await createBranchVersion(client, { pacticipant: 'logistics', branch: 'feat/x', version: '1.2.3' });
    const url = await publishVerificationResult(client, pact, { success: true, providerApplicationVersion: '1.2.3' });
    expect(url).toBe(`${stub.url}${PACT_PATH}/verification-results`);
    expect(stub.received.map((r) => `${r.method} ${r.rawUrl}`)).toEqual([
      `GET ${PACT_PATH}`,
      'PUT /pacticipants/logistics/branches/feat%2Fx/versions/1.2.3',
      `POST ${PACT_PATH}/verification-results`,
    ]);
    expect(stub.received[2]!.json).toEqual({ success: true, providerApplicationVersion: '1.2.3' });
  });

  it('refuses to publish results for a pact without a publish link, naming it', async () => {
    const stub = await broker();
    await expect(
      publishVerificationResult(new BrokerClient({ url: stub.url }), { consumer: {} }, {}, 'Pact pacts/web-app.json'),
    ).rejects.toMatchObject({
      code: 'CUTOVER_BROKER_FAILED',
      message: expect.stringContaining('Pact pacts/web-app.json has no pb:publish-verification-results link'),
    });
    expect(stub.received).toEqual([]);
  });

  it("lists a provider's latest pacts as absolute links named after their consumers", async () => {
    const stub = await broker();
    const client = new BrokerClient({ url: stub.url });
    expect(await latestProviderPacts(client, 'logistics')).toEqual([
      { href: `${stub.url}/pacts/provider/logistics/consumer/web-app/latest`, name: 'web-app' },
      { href: `${stub.url}/pacts/provider/logistics/consumer/mobile-app/latest`, name: 'mobile-app' },
    ]);
    await expect(latestProviderPacts(client, 'other')).rejects.toThrow(/no "pb:pacts" links; is this a Pact Broker\?/);
  });
});
