import { afterEach, describe, expect, it } from 'vitest';
import { runVerify } from './run.js';
import { publishVerificationResults } from './publish.js';
import { startServer } from './testing/servers.js';
import type { FixtureRequest, Running } from './testing/servers.js';
import { v3Pact, writePacts } from './testing/pacts.js';

const open: Running[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

const pact = v3Pact('web-app', 'logistics', [
  {
    description: 'get shipment 1',
    request: { method: 'GET', path: '/shipments/1' },
    response: { status: 200, body: { id: 1 } },
  },
  {
    description: 'get shipment 2',
    request: { method: 'GET', path: '/shipments/2' },
    response: { status: 200, body: { id: 2 } },
  },
]);

/** A broker implementing the endpoints stock Pact clients use, recording what it was sent. */
async function startBroker() {
  const seen: FixtureRequest[] = [];
  let base = '';
  const pactPath = '/pacts/provider/logistics/consumer/web-app/pact-version/abc123/metadata/xyz';
  const server = await startServer({
    'GET /': (req) => {
      seen.push(req);
      return {
        body: {
          _links: {
            'pb:provider-pacts-for-verification': {
              href: `${base}/pacts/provider/{provider}/for-verification`,
              templated: true,
            },
          },
        },
      };
    },
    'POST /pacts/provider/logistics/for-verification': (req) => {
      seen.push(req);
      return {
        body: {
          _embedded: {
            pacts: [
              {
                shortDescription: 'latest from main of web-app',
                verificationProperties: { pending: false, notices: [] },
                _links: { self: { href: `${base}${pactPath}`, name: 'Pact between web-app and logistics' } },
              },
            ],
          },
        },
      };
    },
    [`GET ${pactPath}`]: (req) => {
      seen.push(req);
      return {
        body: {
          ...pact,
          createdAt: '2026-01-01T00:00:00+00:00',
          _links: {
            'pb:consumer-version': { name: '9f1c2e', href: `${base}/pacticipants/web-app/versions/9f1c2e` },
            'pb:publish-verification-results': {
              title: 'Publish verification results',
              href: `${base}/pacts/provider/logistics/consumer/web-app/pact-version/abc123/verification-results`,
            },
          },
        },
      };
    },
    'PUT /pacticipants/logistics/branches/main/versions/1.2.3': (req) => {
      seen.push(req);
      return { body: { number: '1.2.3' } };
    },
    'POST /pacts/provider/logistics/consumer/web-app/pact-version/abc123/verification-results': (req) => {
      seen.push(req);
      return { status: 201, body: { success: true } };
    },
  });
  base = server.url;
  open.push(server);
  return { url: server.url, seen };
}

describe('broker', () => {
  it('fetches pacts with the pacts-for-verification API, with selectors and bearer auth', async () => {
    const broker = await startBroker();
    const target = await startServer({
      'GET /shipments/*': (req) => ({ body: { id: Number(req.path.split('/')[2]) } }),
    });
    open.push(target);
    const report = await runVerify({
      broker: {
        url: broker.url,
        provider: 'logistics',
        token: 's3cret',
        consumerVersionSelectors: [{ mainBranch: true }, { deployedOrReleased: true }],
        providerVersionBranch: 'main',
      },
      monolith: { url: target.url },
    });
    expect(report.summary.passed).toBe(2);
    expect(report.pacts[0]).toMatchObject({
      consumer: 'web-app',
      consumerVersion: '9f1c2e',
      createdAt: '2026-01-01T00:00:00+00:00',
    });
    expect(report.pacts[0]!.source).toContain('/pact-version/abc123');
    const post = broker.seen.find((r) => r.path.endsWith('/for-verification'))!;
    expect(post.headers.authorization).toBe('Bearer s3cret');
    expect(post.json).toEqual({
      consumerVersionSelectors: [{ mainBranch: true }, { deployedOrReleased: true }],
      includePendingStatus: true,
      providerVersionBranch: 'main',
    });
  });

  it('publishes results in the Pact Broker format: provider version on its branch, then testResults with cutover results', async () => {
    const broker = await startBroker();
    const target = await startServer({
      'GET /shipments/1': () => ({ body: { id: 1 } }),
      'GET /shipments/2': () => ({ body: { id: 'two' } }),
    });
    open.push(target);
    const report = await runVerify({
      broker: { url: broker.url, provider: 'logistics', username: 'u', password: 'p' },
      monolith: { url: target.url },
    });
    const published = await publishVerificationResults(report, {
      brokerUrl: broker.url,
      username: 'u',
      password: 'p',
      providerVersion: '1.2.3',
      branch: 'main',
    });
    expect(published).toEqual([expect.objectContaining({ success: false })]);

    const put = broker.seen.find((r) => r.method === 'PUT')!;
    expect(put.path).toBe('/pacticipants/logistics/branches/main/versions/1.2.3');
    expect(put.headers.authorization).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
    const post = broker.seen.find((r) => r.path.endsWith('/verification-results'))!;
    expect(broker.seen.indexOf(put)).toBeLessThan(broker.seen.indexOf(post));
    const body = post.json as Record<string, unknown> & { testResults: Record<string, unknown>[] };
    expect(body).toMatchObject({
      success: false,
      providerApplicationVersion: '1.2.3',
      verifiedBy: { implementation: 'cutover', version: expect.any(String) },
      cutover: { format: 'cutover.verification/v1', summary: { interactions: 2, passed: 1, failed: 1 } },
    });
    expect(body.testResults).toHaveLength(2);
    expect(body.testResults[0]).toMatchObject({
      interactionDescription: 'get shipment 1',
      success: true,
      mismatches: [],
    });
    expect(body.testResults[1]).toMatchObject({
      interactionDescription: 'get shipment 2',
      success: false,
      mismatches: [expect.objectContaining({ attribute: 'body', identifier: '$.id' })],
      cutover: { description: 'get shipment 2', targets: { monolith: { outcome: 'fail' } } },
    });
  });

  it('refuses to publish results of a pact file without a publish link, naming the file', async () => {
    const { files } = await writePacts([pact]);
    const target = await startServer({ 'GET /shipments/*': () => ({ body: { id: 1 } }) });
    open.push(target);
    const report = await runVerify({ pacts: files, monolith: { url: target.url } });
    await expect(
      publishVerificationResults(report, { brokerUrl: 'http://127.0.0.1:1', providerVersion: '1', branch: 'main' }),
    ).rejects.toMatchObject({ code: 'CUTOVER_BROKER_FAILED', message: expect.stringContaining(files[0]!) });
  });

  it("refuses a pact whose publish link leaves the broker's origin, before writing anything", async () => {
    const broker = await startBroker();
    const elsewhere = await startServer({ 'POST /collect': () => ({ status: 201, body: {} }) });
    open.push(elsewhere);
    const { files } = await writePacts([
      {
        ...pact,
        _links: { 'pb:publish-verification-results': { href: `${elsewhere.url}/collect` } },
      },
    ]);
    const target = await startServer({ 'GET /shipments/*': () => ({ body: { id: 1 } }) });
    open.push(target);
    const report = await runVerify({ pacts: files, monolith: { url: target.url } });
    await expect(
      publishVerificationResults(report, {
        brokerUrl: broker.url,
        token: 'secret-token',
        providerVersion: '1.2.3',
        branch: 'main',
      }),
    ).rejects.toMatchObject({
      code: 'CUTOVER_BROKER_FAILED',
      message: expect.stringContaining(`${elsewhere.url}/collect: refused: not on the broker's origin ${broker.url}`),
    });
    expect(broker.seen).toEqual([]);
  });

  it('refuses unknown or mistyped consumer version selector keys before contacting the broker', async () => {
    const broker = await startBroker();
    const run = (selector: Record<string, unknown>) =>
      runVerify({
        broker: { url: broker.url, provider: 'logistics', consumerVersionSelectors: [{ mainBranch: true }, selector] },
        monolith: { url: broker.url },
      });
    await expect(run({ foo: 1 })).rejects.toMatchObject({
      code: 'CUTOVER_USAGE',
      message: expect.stringMatching(
        /^Consumer version selector #2 has an unknown key "foo"; known keys: mainBranch, matchingBranch, deployed, .*fallbackTag$/,
      ),
    });
    await expect(run({ branch: true })).rejects.toThrow(
      'Consumer version selector #2: branch must be a string, got true',
    );
    expect(broker.seen).toEqual([]);
  });

  it('reports a broker error with the URL and status', async () => {
    const server = await startServer({});
    open.push(server);
    await expect(
      runVerify({ broker: { url: server.url, provider: 'logistics' }, monolith: { url: server.url } }),
    ).rejects.toMatchObject({
      code: 'CUTOVER_BROKER_FAILED',
      message: expect.stringContaining('HTTP 404'),
    });
  });
});
