import { describe, expect, it } from 'vitest';
import type { InteractionResult, VerificationReport } from '@cutover/core';
import { decide, type DecideOptions } from './decide.js';
import type { PactFingerprint } from './evidence.js';
import { NOW, evidenceFrom, policy, report, result } from './__fixtures__/evidence.js';

function run(
  match: string,
  results: InteractionResult[],
  overrides: Partial<DecideOptions> = {},
  rules = '',
): ReturnType<typeof decide> {
  const r = report({ results });
  return decide({
    policy: policy((y) =>
      y
        .replace('match: { methods: [GET], path: /api/tracking/** }', `match: ${match}`)
        .replace('requireAllOperationsExercised: true', `requireAllOperationsExercised: false${rules}`),
    ),
    evidence: { reports: [evidenceFrom(r, 'verify.json')], problems: [] },
    candidateVersion: '1.4.0',
    now: NOW,
    ...overrides,
  });
}

const both = (path: string, method = 'GET', template?: string): InteractionResult[] =>
  ['web-app', 'mobile-app'].map((consumer) =>
    result({
      consumer,
      description: `${consumer} ${method} ${path}`,
      route: { method, path, ...(template ? { template } : {}) },
    }),
  );

const codes = (decision: ReturnType<typeof decide>) => decision.routes[0]!.reasons.map((r) => r.code);

describe('coverage per method', () => {
  it('blocks each method of the route without a verified interaction, naming it', () => {
    const decision = run('{ methods: [GET, DELETE, POST], path: /api/tracking/* }', both('/api/tracking/A'));
    expect(codes(decision)).toEqual(['method-not-verified', 'method-not-verified']);
    expect(decision.routes[0]!.reasons.map((r) => r.message.split(':')[0])).toEqual([
      'DELETE /api/tracking/*',
      'POST /api/tracking/*',
    ]);
    expect(decision.routes[0]!.coverage).toEqual([
      { method: 'GET', paths: ['/api/tracking/A'] },
      { method: 'DELETE', paths: [] },
      { method: 'POST', paths: [] },
    ]);
  });

  it('allows a route whose every method has evidence, and reports templates where known', () => {
    const decision = run('{ methods: [GET, DELETE], path: /api/tracking/* }', [
      ...both('/api/tracking/A', 'GET', '/api/tracking/{id}'),
      ...both('/api/tracking/A', 'DELETE'),
    ]);
    expect(decision.outcome).toBe('allowed');
    expect(decision.routes[0]!.coverage).toEqual([
      { method: 'GET', paths: ['/api/tracking/{id}'] },
      { method: 'DELETE', paths: ['/api/tracking/A'] },
    ]);
  });
});

describe('coverage of the path pattern', () => {
  it('blocks a ** route when all evidence sits in one subtree below it', () => {
    const decision = run('{ methods: [GET], path: /** }', [
      ...both('/api/items/1'),
      ...both('/api/items/2/parts', 'GET'),
    ]);
    expect(codes(decision)).toEqual(['route-broader-than-evidence']);
    expect(decision.routes[0]!.reasons[0]!.message).toMatch(
      /^GET \/\*\*: the evidence covers only \/api\/\*\* \(\/api\/items\/1, \/api\/items\/2\/parts\), but the route moves every GET request under \/\*\*/,
    );
  });

  it('allows it when the policy opts in with allowBroaderThanEvidence', () => {
    const decision = run(
      '{ methods: [GET], path: /** }',
      both('/api/items/1'),
      {},
      '\n      allowBroaderThanEvidence: true',
    );
    expect(decision.outcome).toBe('allowed');
  });

  it('does not take a leaf segment or a template parameter for a narrower subtree', () => {
    expect(run('{ methods: [GET], path: /api/tracking/** }', both('/api/tracking/SHP-1')).outcome).toBe('allowed');
    const templated = both('/api/tracking/SHP-1/events', 'GET', '/api/tracking/{id}/events');
    expect(run('{ methods: [GET], path: /api/tracking/** }', templated).outcome).toBe('allowed');
    // Without a template, a shared middle segment is a subtree: the route also moves /api/tracking/other/…
    expect(codes(run('{ methods: [GET], path: /api/tracking/** }', both('/api/tracking/SHP-1/events')))).toEqual([
      'route-broader-than-evidence',
    ]);
  });

  it('allows evidence spread over several subtrees below the **', () => {
    const decision = run('{ methods: [GET], path: /api/** }', [...both('/api/items/1'), ...both('/api/users/1')]);
    expect(decision.outcome).toBe('allowed');
  });
});

describe('coverage of the current pacts (--pact)', () => {
  const pact = (requests: PactFingerprint['requests'], consumer = 'web-app'): PactFingerprint => ({
    consumer,
    provider: 'logistics',
    source: `pacts/${consumer}.json`,
    sha256: `${consumer}-sha`,
    requests,
  });
  function fingerprinted(results: InteractionResult[], filters?: VerificationReport['filters']): VerificationReport {
    const r = report({ results });
    r.pacts = r.pacts.map((p) => ({ ...p, sha256: `${p.consumer}-sha` }));
    if (filters) r.filters = filters;
    return r;
  }
  const decideOn = (r: VerificationReport, pacts: PactFingerprint[]) =>
    decide({
      policy: policy((y) => y.replace('requireAllOperationsExercised: true', 'requireAllOperationsExercised: false')),
      evidence: { reports: [evidenceFrom(r, 'verify.json')], problems: [] },
      candidateVersion: '1.4.0',
      now: NOW,
      pacts,
    });
  const req = (index: number, path: string) => ({ index, description: `d${index}`, method: 'GET', path });
  const res = (consumer: string, pactIndex: number, index: number, path: string) =>
    result({ consumer, pact: pactIndex, index, description: `d${index}`, route: { method: 'GET', path } });

  it('matches results to the pact by position and names each interaction without a result', () => {
    const r = fingerprinted([res('web-app', 0, 0, '/api/tracking/A'), res('mobile-app', 1, 0, '/api/tracking/A')], {
      routes: ['/api/tracking/A'],
    });
    const pacts = [
      pact([req(0, '/api/tracking/A'), req(1, '/api/tracking/B'), req(2, '/api/auth/login')]),
      pact([req(0, '/api/tracking/A')], 'mobile-app'),
    ];
    const reasons = decideOn(r, pacts).routes[0]!.reasons;
    expect(reasons).toEqual([
      expect.objectContaining({ code: 'interaction-missing', consumer: 'web-app', interaction: 'd1' }),
    ]);
    expect(reasons[0]!.message).toBe(
      'web-app › "d1" (GET /api/tracking/B, interactions[1] of pacts/web-app.json) falls under GET /api/tracking/** but has no result in verify.json (a filtered run: route "/api/tracking/A"); verify it',
    );
  });

  it('allows a filtered run that has a result for every interaction of the pact under the route', () => {
    const r = fingerprinted([res('web-app', 0, 0, '/api/tracking/A'), res('mobile-app', 1, 0, '/api/tracking/A')], {
      routes: ['/api/tracking/**'],
    });
    const pacts = [
      pact([req(0, '/api/tracking/A'), req(1, '/api/auth/login')]),
      pact([req(0, '/api/tracking/A')], 'mobile-app'),
    ];
    expect(decideOn(r, pacts).outcome).toBe('allowed');
  });

  it('does not count a result for another position of the same pact', () => {
    const r = fingerprinted([res('web-app', 0, 1, '/api/tracking/A'), res('mobile-app', 1, 0, '/api/tracking/A')]);
    const pacts = [
      pact([req(0, '/api/tracking/A'), req(1, '/api/tracking/A')]),
      pact([req(0, '/api/tracking/A')], 'mobile-app'),
    ];
    expect(decideOn(r, pacts).routes[0]!.reasons).toEqual([
      expect.objectContaining({ code: 'interaction-missing', interaction: 'd0' }),
    ]);
  });

  it('blocks a filtered run without the current pacts (evidence-partial)', () => {
    const r = fingerprinted([res('web-app', 0, 0, '/api/tracking/A'), res('mobile-app', 1, 0, '/api/tracking/A')], {
      descriptions: ['d0'],
    });
    expect(decideOn(r, []).routes[0]!.reasons.map((x) => [x.code, x.consumer])).toEqual([
      ['evidence-partial', 'mobile-app'],
      ['evidence-partial', 'web-app'],
    ]);
  });
});
