import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { collectBrokerEvidence } from './broker-evidence.js';
import { collectEvidence } from './evidence.js';
import { decide } from './decide.js';
import { NOW, OPERATIONS, policy, report, T1 } from './__fixtures__/evidence.js';

/**
 * A small stand-in for a Pact Broker's HAL API, serving two consumers' latest pacts and their
 * verification by candidate 1.4.0. Tests edit `state` to break one thing at a time.
 */
interface BrokerState {
  verifiedVersion: Record<string, string | undefined>;
  withCutover: boolean;
  /** Publish results for the first interaction of each pact only, as a filtered run does. */
  partial?: boolean;
  requireToken?: string;
  /** Where the matrix says the verification is (another origin, for the credentials-leak test). */
  verificationBase?: string;
}

let state: BrokerState;
let server: Server;
let base: string;
const received: { method: string; url: string; body: string; authorization?: string }[] = [];

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/hal+json' });
  res.end(JSON.stringify(body));
}

function pactBody(consumer: string) {
  const results = report().results.filter((r) => r.consumer === consumer);
  return {
    consumer: { name: consumer },
    provider: { name: 'logistics' },
    interactions: results.map((r) => ({
      description: r.description,
      request: { method: r.route.method, path: r.route.path },
      response: { status: 200 },
    })),
    metadata: { pactSpecification: { version: '3.0.0' } },
    createdAt: '2026-11-22T00:00:00+00:00',
    _links: {
      'pb:consumer-version': {
        title: 'Consumer version',
        name: `${consumer}-7`,
        href: `${base}/pacticipants/${consumer}/versions/${consumer}-7`,
      },
    },
  };
}

function handle(req: IncomingMessage, res: ServerResponse, body: string): void {
  const url = new URL(req.url ?? '/', base);
  received.push({
    method: req.method ?? '',
    url: req.url ?? '',
    body,
    ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
  });
  if (state.requireToken && req.headers.authorization !== `Bearer ${state.requireToken}`)
    return json(res, 401, { error: 'unauthorized' });
  if (url.pathname === '/pacts/provider/logistics/latest')
    return json(res, 200, {
      _links: {
        self: { href: `${base}/pacts/provider/logistics/latest` },
        'pb:pacts': ['web-app', 'mobile-app'].map((c) => ({
          href: `${base}/pacts/provider/logistics/consumer/${c}/latest`,
          title: `Pact between ${c} and logistics`,
          name: c,
        })),
      },
    });
  const pact = /^\/pacts\/provider\/logistics\/consumer\/([^/]+)\/latest$/.exec(url.pathname);
  if (pact) return json(res, 200, pactBody(pact[1]!));
  if (url.pathname === '/matrix') {
    const q = url.searchParams.getAll('q[][pacticipant]');
    const versions = url.searchParams.getAll('q[][version]');
    const consumer = q[0]!;
    const verified = state.verifiedVersion[consumer];
    const matches = verified !== undefined && verified === versions[1] && url.searchParams.get('latestby') === 'cvpv';
    return json(res, 200, {
      summary: { deployable: matches },
      matrix: matches
        ? [
            {
              consumer: { name: consumer, version: { number: versions[0] } },
              provider: { name: 'logistics', version: { number: verified } },
              pact: { createdAt: '2026-11-22T00:00:00+00:00' },
              verificationResult: {
                success: true,
                verifiedAt: T1,
                _links: { self: { href: `${state.verificationBase ?? base}/verification-results/${consumer}` } },
              },
            },
          ]
        : [],
    });
  }
  const verification = /^\/verification-results\/([^/]+)$/.exec(url.pathname);
  if (verification) {
    const consumer = verification[1]!;
    const all = report().results.filter((r) => r.consumer === consumer);
    const results = state.partial ? all.slice(0, 1) : all;
    return json(res, 200, {
      providerName: 'logistics',
      providerApplicationVersion: state.verifiedVersion[consumer],
      success: true,
      verificationDate: T1,
      testResults: results.map((r, i) => ({
        interactionDescription: r.description,
        success: true,
        mismatches: [],
        ...(state.withCutover || i > 0 ? { cutover: r } : {}),
      })),
    });
  }
  json(res, 404, { error: 'not found' });
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => handle(req, res, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  state = { verifiedVersion: { 'web-app': '1.4.0', 'mobile-app': '1.4.0' }, withCutover: true };
  received.length = 0;
});

function gate(evidence: Awaited<ReturnType<typeof collectBrokerEvidence>>) {
  return decide({
    policy: policy(),
    evidence,
    candidateVersion: '1.4.0',
    operations: OPERATIONS,
    now: NOW,
  });
}

describe('broker evidence', () => {
  it('blocks a verification that published results for part of the pact, naming each missing interaction', async () => {
    state.partial = true;
    const evidence = await collectEvidence({ brokerUrl: base, provider: 'logistics', candidateVersion: '1.4.0' });
    expect(evidence.problems).toEqual([
      expect.objectContaining({
        code: 'interaction-missing',
        consumer: 'web-app',
        message: `web-app › "events of SHP-1001" (GET /api/tracking/SHP-1001/events, interactions[1] of ${base}/pacts/provider/logistics/consumer/web-app/latest) has no cutover result in the verification ${base}/verification-results/web-app; verify it`,
      }),
    ]);
    // The events operation is then exercised by no consumer either.
    expect(gate(evidence).routes[0]!.reasons.map((r) => r.code)).toEqual([
      'interaction-missing',
      'operation-not-exercised',
    ]);
  });

  it('reads the latest pacts, finds their verification by the candidate version in the matrix, and allows', async () => {
    const evidence = await collectEvidence({ brokerUrl: `${base}/`, provider: 'logistics', candidateVersion: '1.4.0' });
    expect(evidence.problems).toEqual([]);
    expect(evidence.reports.map((r) => [r.kind, r.source, r.candidateVersion, r.results.length])).toEqual([
      ['broker', `${base}/verification-results/web-app`, '1.4.0', 2],
      ['broker', `${base}/verification-results/mobile-app`, '1.4.0', 1],
    ]);
    const matrixCall = received.find((r) => r.url.startsWith('/matrix'))!;
    expect(decodeURIComponent(matrixCall.url)).toBe(
      '/matrix?q[][pacticipant]=web-app&q[][version]=web-app-7&q[][pacticipant]=logistics&q[][version]=1.4.0&latestby=cvpv',
    );
    const decision = gate(evidence);
    expect(decision.outcome).toBe('allowed');
    expect(decision.routes[0]!.consumers).toEqual(['mobile-app', 'web-app']);
  });

  it('blocks a consumer whose latest pact has no verification by this candidate version', async () => {
    state.verifiedVersion['mobile-app'] = '1.3.9';
    const evidence = await collectBrokerEvidence({ brokerUrl: base, provider: 'logistics', candidateVersion: '1.4.0' });
    expect(evidence.problems).toEqual([
      expect.objectContaining({
        code: 'not-verified',
        consumer: 'mobile-app',
        message: 'the latest pact of mobile-app (version mobile-app-7) has no verification by logistics version 1.4.0',
        requests: [{ index: 0, description: 'eta of SHP-1001', method: 'GET', path: '/api/tracking/SHP-1001/eta' }],
      }),
    ]);
    const decision = gate(evidence);
    expect(decision.outcome).toBe('blocked');
    expect(decision.routes[0]!.reasons.map((r) => r.code)).toEqual(
      expect.arrayContaining(['not-verified', 'consumer-missing']),
    );
  });

  it('blocks a verification whose test results carry no cutover result (cannot prove parity)', async () => {
    state.withCutover = false;
    const evidence = await collectBrokerEvidence({ brokerUrl: base, provider: 'logistics', candidateVersion: '1.4.0' });
    const decision = gate(evidence);
    expect(decision.outcome).toBe('blocked');
    const reasons = decision.routes[0]!.reasons.filter((r) => r.code === 'parity-unprovable');
    expect(reasons.map((r) => r.consumer).sort()).toEqual(['mobile-app', 'web-app']);
    expect(reasons[0]!.message).toMatch(/carry no cutover result, so they cannot prove parity/);
  });

  it('blocks when the broker cannot be reached', async () => {
    const dead = createServer();
    await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', resolve));
    const port = (dead.address() as AddressInfo).port;
    await new Promise<void>((resolve) => dead.close(() => resolve()));
    const evidence = await collectBrokerEvidence({
      brokerUrl: `http://127.0.0.1:${port}`,
      provider: 'logistics',
      candidateVersion: '1.4.0',
      timeoutMs: 2000,
    });
    expect(evidence.problems).toEqual([expect.objectContaining({ code: 'evidence-unavailable' })]);
    expect(evidence.problems[0]!.message).toMatch(/the broker cannot be reached \(ECONNREFUSED\)/);
    const decision = gate(evidence);
    expect(decision.outcome).toBe('blocked');
    expect(decision.routes[0]!.reasons.map((r) => r.code)).toContain('evidence-unavailable');
  });

  it('blocks when the broker knows no pacts for the provider', async () => {
    const evidence = await collectBrokerEvidence({ brokerUrl: base, provider: 'billing', candidateVersion: '1.4.0' });
    expect(evidence.problems[0]).toMatchObject({ code: 'evidence-unavailable' });
    expect(evidence.problems[0]!.message).toMatch(/no pacts for provider "billing".*404/);
  });

  it('blocks when the broker refuses the credentials, saying so', async () => {
    state.requireToken = 'sesame';
    const refused = await collectBrokerEvidence({ brokerUrl: base, provider: 'logistics', candidateVersion: '1.4.0' });
    expect(refused.problems[0]!.message).toMatch(/answered HTTP 401/);
    const accepted = await collectBrokerEvidence({
      brokerUrl: base,
      provider: 'logistics',
      candidateVersion: '1.4.0',
      auth: { token: 'sesame' },
    });
    expect(accepted.problems).toEqual([]);
  });

  it("blocks, sending nothing away, when the matrix links a verification outside the broker's origin", async () => {
    const elsewhere = createServer((_req, res) => res.end('{}'));
    const hits: string[] = [];
    elsewhere.on('request', (req: IncomingMessage) => hits.push(req.url ?? ''));
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
    try {
      state.verificationBase = `http://localhost:${(elsewhere.address() as AddressInfo).port}`;
      const evidence = await collectBrokerEvidence({
        brokerUrl: base,
        provider: 'logistics',
        candidateVersion: '1.4.0',
        auth: { token: 'sesame-token' },
      });
      expect(evidence.reports).toEqual([]);
      expect(evidence.problems.map((p) => p.code)).toEqual(['evidence-unavailable', 'evidence-unavailable']);
      expect(evidence.problems[0]!.message).toContain(`refused: not on the broker's origin ${base}`);
      expect(hits).toEqual([]);
      expect(gate(evidence).outcome).toBe('blocked');
    } finally {
      await new Promise<void>((resolve) => elsewhere.close(() => resolve()));
    }
  });

  it('sends basic auth when given a username', async () => {
    await collectBrokerEvidence({
      brokerUrl: base,
      provider: 'logistics',
      candidateVersion: '1.4.0',
      auth: { username: 'u', password: 'p' },
    });
    expect(received[0]!.authorization).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
  });
});
