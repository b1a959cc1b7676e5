import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decide } from './decide.js';
import { reportToEvidence } from './evidence.js';
import { parsePolicy } from './policy.js';
import { BrokerClient } from '@cutover/broker-client';
import { brokerShadowRuns, readShadowFiles, type ShadowRun } from './shadow.js';
import { NOW, OPERATIONS, policy, report } from './__fixtures__/evidence.js';
import { shadowEvidence, shadowRoute } from './__fixtures__/shadow.js';

const requiring = (rule: string) =>
  policy((y) =>
    y.replace('requireAllOperationsExercised: true', `requireAllOperationsExercised: true\n      shadow: ${rule}`),
  );

function gate(shadow: ShadowRun[] | undefined, rule = '{ minRequests: 1000, maxDifferingRate: 0 }') {
  return decide({
    policy: requiring(rule),
    evidence: { reports: [reportToEvidence(report(), 'verify.json')], problems: [] },
    candidateVersion: '1.4.0',
    operations: OPERATIONS,
    now: NOW,
    ...(shadow ? { shadow } : {}),
  }).routes[0]!;
}

const run = (...routes: Parameters<typeof shadowEvidence>[0]) => ({
  source: 'shadow.json',
  evidence: shadowEvidence(routes),
});

describe('the gate’s shadow requirement', () => {
  it('allows when enough shadowed requests were compared and none differ, and notes the figures', () => {
    const route = gate([run(shadowRoute(700), shadowRoute(300, 0, { path: '/api/tracking/{id}/events' }))]);
    expect(route.outcome).toBe('allowed');
    expect(route.notes).toContain('shadow traffic: 1000 request(s) compared on GET /api/tracking/**, 0 differing (0%)');
  });

  it('blocks with shadow-missing when the policy requires shadow evidence and none was given', () => {
    const route = gate(undefined);
    expect(route.outcome).toBe('blocked');
    expect(route.reasons).toEqual([
      expect.objectContaining({
        code: 'shadow-missing',
        message: expect.stringMatching(
          /requires shadow evidence \(1000 compared requests\), but none was given/,
        ) as unknown,
      }),
    ]);
  });

  it('blocks with shadow-insufficient when too few requests were compared, counting errored ones out', () => {
    const route = gate([run(shadowRoute(999, 0, { errored: 40 }))]);
    expect(route.reasons.map((r) => [r.code, r.message])).toEqual([
      [
        'shadow-insufficient',
        'shadow traffic compared 999 request(s) on GET /api/tracking/**, the policy requires 1000 (40 more could not be compared: a side failed)',
      ],
    ]);
  });

  it('blocks with shadow-differs above the allowed rate, citing the difference and an example', () => {
    const route = gate([run(shadowRoute(1200, 12))], '{ minRequests: 1000, maxDifferingRate: 0.005 }');
    expect(route.outcome).toBe('blocked');
    expect(route.reasons[0]).toMatchObject({
      code: 'shadow-differs',
      message:
        'on shadow traffic the candidate differs from the monolith on 12 of 1200 request(s) on GET /api/tracking/** (1%; the policy allows 0.5%)',
    });
    expect(route.reasons[1]).toMatchObject({
      code: 'shadow-differs',
      interaction: 'GET /api/tracking/SHP-1001',
      difference: { kind: 'extra', path: '$.customerEmail', candidate: 'ann@example.com' },
    });
    expect(gate([run(shadowRoute(1200, 6))], '{ minRequests: 1000, maxDifferingRate: 0.005 }').outcome).toBe('allowed');
  });

  it('counts only runs of the candidate version being shifted and routes the policy route covers', () => {
    const other = { source: 'old.json', evidence: shadowEvidence([shadowRoute(5000)], { candidateVersion: '1.3.0' }) };
    const elsewhere = run(
      shadowRoute(5000, 0, { path: '/api/shipments/{id}' }),
      shadowRoute(5000, 0, { method: 'POST' }),
    );
    expect(gate([other]).reasons.map((r) => r.code)).toEqual(['shadow-missing']);
    expect(gate([other]).reasons[0]!.message).toMatch(/not counted: old.json \(candidate version 1.3.0\)/);
    expect(gate([elsewhere]).reasons.map((r) => r.code)).toEqual(['shadow-insufficient']);
  });

  it('applies the defaults (1000 requests, none differing) to `shadow: {}` and nothing to a route without it', () => {
    expect(requiring('{}').routes[0]!.rules.shadow).toEqual({ minRequests: 1000, maxDifferingRate: 0 });
    expect(policy().routes[0]!.rules.shadow).toBeUndefined();
    expect(() => parsePolicy(requiring('{ maxDifferingRate: 2 }').source)).toThrow();
    expect(() =>
      policy((y) => y.replace('requireAllOperationsExercised: true', 'shadow: { maxDifferingRate: 2 }')),
    ).toThrow(/shadow\/maxDifferingRate|maxDifferingRate/);
  });
});

describe('shadow evidence files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-gate-shadow-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads cutover.shadow/v1 and refuses anything else with a coded error naming the file and JSON path', async () => {
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify(shadowEvidence([shadowRoute(3)])));
    expect((await readShadowFiles([good]))[0]!.evidence.totals.compared).toBe(3);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...shadowEvidence([shadowRoute(3)]), format: 'cutover.verification/v1' }));
    await expect(readShadowFiles([bad])).rejects.toMatchObject({
      code: 'CUTOVER_EVIDENCE_INVALID',
      details: { source: bad, jsonPath: '$.format' },
    });
    const lying = join(dir, 'lying.json');
    writeFileSync(lying, JSON.stringify(shadowEvidence([shadowRoute(3, 0, { identical: 0 })])));
    await expect(readShadowFiles([lying])).rejects.toMatchObject({
      details: { jsonPath: '$.totals.compared' },
      message: expect.stringMatching(/is not identical \+ noiseOnly \+ differing/) as unknown,
    });
  });
});

describe('shadow evidence from the broker', () => {
  let server: Server;
  let url: string;
  const asked: string[] = [];
  beforeAll(async () => {
    // Answers as `cutover broker` does (packages/broker/src/routes/shadow.test.ts runs the real one).
    server = createServer((req, res) => {
      asked.push(req.url ?? '');
      if (!req.url?.startsWith('/cutover/shadow')) return res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/hal+json' });
      const run = { ...shadowEvidence([shadowRoute(1200, 3)]), _links: { self: { href: `${url}/cutover/shadow/7` } } };
      res.end(JSON.stringify({ _embedded: { shadowRuns: [run] } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('asks for the latest run of the provider and candidate version, and cites it', async () => {
    const runs = await brokerShadowRuns(new BrokerClient({ url }), {
      provider: 'logistics',
      candidateVersion: '1.4.0',
    });
    expect(asked.at(-1)).toBe('/cutover/shadow?provider=logistics&candidateVersion=1.4.0&limit=1');
    expect(runs.map((r) => [r.source, r.evidence.totals.compared])).toEqual([[`${url}/cutover/shadow/7`, 1200]]);
    expect(gate(runs).reasons[0]).toMatchObject({ code: 'shadow-differs', source: `${url}/cutover/shadow/7` });
  });

  it('reads no runs from a broker that keeps no shadow evidence (404), which blocks as shadow-missing', async () => {
    const runs = await brokerShadowRuns(new BrokerClient({ url: `${url}/stock` }), {
      provider: 'logistics',
      candidateVersion: '1.4.0',
    });
    expect(runs).toEqual([]);
    expect(gate(runs).reasons.map((r) => r.code)).toEqual(['shadow-missing']);
  });
});
