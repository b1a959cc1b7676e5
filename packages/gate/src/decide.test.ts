import { describe, expect, it } from 'vitest';
import type { VerificationReport } from '@cutover/core';
import { decide, type DecideOptions } from './decide.js';
import { type Evidence, type PactFingerprint } from './evidence.js';
import { NOW, OPERATIONS, T0, policy, report, result, evidenceFrom } from './__fixtures__/evidence.js';

const operations = OPERATIONS;

function evidenceOf(...reports: VerificationReport[]): Evidence {
  return { reports: reports.map((r, i) => evidenceFrom(r, `verify-${i}.json`)), problems: [] };
}

function run(overrides: Partial<DecideOptions> = {}) {
  return decide({
    policy: policy(),
    evidence: evidenceOf(report()),
    candidateVersion: '1.4.0',
    operations,
    now: NOW,
    ...overrides,
  });
}

function codes(decision: ReturnType<typeof decide>): string[] {
  return decision.routes.flatMap((r) => r.reasons.map((reason) => reason.code));
}

describe('decide: all green', () => {
  it('allows the route and moves it to the first rollout step', () => {
    const decision = run();
    expect(decision.outcome).toBe('allowed');
    const route = decision.routes[0]!;
    expect(route).toMatchObject({
      name: 'tracking',
      outcome: 'allowed',
      currentWeight: 0,
      nextWeight: 1,
      forced: false,
      interactions: 3,
    });
    expect(route.consumers).toEqual(['mobile-app', 'web-app']);
    expect(route.reasons).toEqual([]);
    expect(decision.candidateVersion).toBe('1.4.0');
  });

  it('moves one step at a time from the current weight, capped at the requested weight', () => {
    expect(
      run({ policy: policy((y) => y.replace('currentWeight: 0', 'currentWeight: 10')) }).routes[0]!.nextWeight,
    ).toBe(50);
    const capped = run({
      policy: policy((y) => y.replace('currentWeight: 0', 'currentWeight: 0\n    requestedWeight: 0')),
    });
    expect(capped.routes[0]!.nextWeight).toBe(0);
    expect(capped.routes[0]!.notes.join()).toMatch(/nothing to shift/);
  });

  it('uses the forced weight instead of the next step, and says so', () => {
    const decision = run({ force: 50 });
    expect(decision.routes[0]).toMatchObject({ nextWeight: 50, forced: true });
    expect(decision.warnings.join()).toMatch(/--force-weight/);
  });

  it('refuses a forced weight outside 0..100', () => {
    expect(() => run({ force: 150 })).toThrow(/0 to 100/);
  });

  it('ignores results outside every route', () => {
    const r = report();
    r.results.push(
      result({
        route: { method: 'POST', path: '/api/shipments' },
        parity: {
          status: 'differs',
          differences: [{ kind: 'status', path: '$', monolith: 201, candidate: 500, message: 'status differs' }],
          noise: [],
        },
      }),
    );
    expect(run({ evidence: evidenceOf(r) }).outcome).toBe('allowed');
  });

  it('accepts noise and shared schema violations when the policy allows them, noting them', () => {
    const r = report();
    r.results[0] = result({
      parity: {
        status: 'noise-only',
        differences: [],
        noise: [
          { kind: 'value', path: '$.updatedAt', monolith: 'a', candidate: 'b', message: 'differs', noise: 'sampled' },
        ],
      },
    });
    const decision = run({ evidence: evidenceOf(r) });
    expect(decision.outcome).toBe('allowed');
    expect(decision.routes[0]!.notes.join('\n')).toMatch(/1 difference\(s\) accepted as noise \(\$\.updatedAt\)/);
  });
});

describe('decide: every blocking reason blocks', () => {
  it('blocks when the candidate fails the pact, citing the mismatch', () => {
    const r = report();
    r.results[0] = result({
      targets: {
        monolith: { outcome: 'pass', mismatches: [], timingMs: 1 },
        candidate: {
          outcome: 'fail',
          status: 200,
          mismatches: [
            {
              kind: 'body',
              path: '$.status',
              expected: 'IN_TRANSIT',
              actual: 'in_transit',
              message: 'Expected "IN_TRANSIT" but got "in_transit"',
            },
          ],
          timingMs: 1,
        },
      },
    });
    const decision = run({ evidence: evidenceOf(r) });
    expect(decision.outcome).toBe('blocked');
    const reason = decision.routes[0]!.reasons.find((x) => x.code === 'pact-failed')!;
    expect(reason).toMatchObject({ consumer: 'web-app', interaction: 'a request for shipment SHP-1001 tracking' });
    expect(reason.mismatch?.path).toBe('$.status');
    expect(reason.message).toMatch(/\$\.status.*"IN_TRANSIT".*"in_transit"/);
  });

  it('reports a pending interaction failing its pact as a note, not a block', () => {
    const r = report();
    r.results[0] = result({
      pending: true,
      targets: {
        monolith: { outcome: 'pass', mismatches: [], timingMs: 1 },
        candidate: { outcome: 'fail', mismatches: [], timingMs: 1 },
      },
    });
    const decision = run({ evidence: evidenceOf(r) });
    expect(decision.outcome).toBe('allowed');
    expect(decision.routes[0]!.notes.join()).toMatch(/pending/);
  });

  it('blocks on a parity difference, citing path, monolith value and candidate value', () => {
    const r = report();
    r.results[1] = result({
      consumer: 'web-app',
      description: 'events of SHP-1001',
      route: { method: 'GET', path: '/api/tracking/SHP-1001/events' },
      parity: {
        status: 'differs',
        differences: [
          {
            kind: 'value',
            path: '$.events[0].at',
            monolith: '2026-11-20T10:00:00Z',
            candidate: '20/11/2026 10:00',
            message: 'value differs',
          },
        ],
        noise: [],
      },
    });
    const reason = run({ evidence: evidenceOf(r) }).routes[0]!.reasons[0]!;
    expect(reason).toMatchObject({
      code: 'parity-differs',
      consumer: 'web-app',
      interaction: 'events of SHP-1001',
      difference: { path: '$.events[0].at', monolith: '2026-11-20T10:00:00Z', candidate: '20/11/2026 10:00' },
    });
    expect(reason.message).toContain('monolith "2026-11-20T10:00:00Z", candidate "20/11/2026 10:00"');
  });

  it('blocks on noise when the policy does not allow noise', () => {
    const r = report();
    r.results[0] = result({
      parity: {
        status: 'noise-only',
        differences: [],
        noise: [{ kind: 'value', path: '$.ts', monolith: 1, candidate: 2, message: 'x', noise: 'declared' }],
      },
    });
    const p = policy((y) => y.replace('maxEvidenceAge: 24h', 'maxEvidenceAge: 24h\n  parity: { allowNoise: false }'));
    expect(codes(run({ policy: p, evidence: evidenceOf(r) }))).toEqual(['parity-noise']);
  });

  it('blocks when parity was not compared', () => {
    const r = report();
    r.results[0] = result({ parity: { status: 'not-compared', differences: [], noise: [] } });
    expect(codes(run({ evidence: evidenceOf(r) }))).toEqual(['parity-not-compared']);
  });

  it('does not judge parity when the policy does not require it', () => {
    const r = report();
    r.results[0] = result({ parity: { status: 'not-compared', differences: [], noise: [] } });
    const p = policy((y) => y.replace('maxEvidenceAge: 24h', 'maxEvidenceAge: 24h\n  parity: { required: false }'));
    expect(run({ policy: p, evidence: evidenceOf(r) }).outcome).toBe('allowed');
  });

  const violation = {
    code: 'response.body.required',
    severity: 'error' as const,
    on: 'response' as const,
    instancePath: '/eta',
    schemaPath: '#/paths/~1api~1tracking~1{id}/get/responses/200/content/application~1json/schema/required',
    rule: 'required',
    message: 'must have required property "eta"',
  };

  it('blocks on a schema regression, citing the violation', () => {
    const r = report();
    r.results[0] = result({
      schema: { request: [], monolith: [], candidate: [violation], baseline: [], regressions: [violation] },
    });
    const reason = run({ evidence: evidenceOf(r) }).routes[0]!.reasons[0]!;
    expect(reason.code).toBe('schema-regression');
    expect(reason.violation).toMatchObject({ instancePath: '/eta', rule: 'required' });
    expect(reason.message).toMatch(/response \/eta/);
    expect(reason.violation?.monolith).toBe('not violated');
    expect(reason.message).toMatch(/; the monolith does not violate the document there$/);
  });

  it('cites the monolith and candidate values at the violated path when parity recorded them', () => {
    const r = report();
    const typeViolation = { ...violation, code: 'response.body.type', instancePath: '/items/0/eta', rule: 'type' };
    r.results[0] = result({
      parity: {
        status: 'differs',
        differences: [
          { kind: 'value', path: '$.status', monolith: 'A', candidate: 'B', message: 'x' },
          { kind: 'type', path: '$.items[0].eta', monolith: '2026-11-23', candidate: 42, message: 'x' },
        ],
        noise: [],
      },
      schema: { request: [], monolith: [], candidate: [typeViolation], baseline: [], regressions: [typeViolation] },
    });
    const parity = policy((y) =>
      y.replace('maxEvidenceAge: 24h', 'maxEvidenceAge: 24h\n  parity: { required: false }'),
    );
    const [reason] = run({ policy: parity, evidence: evidenceOf(r) }).routes[0]!.reasons;
    expect(reason).toMatchObject({
      code: 'schema-regression',
      difference: { path: '$.items[0].eta', monolith: '2026-11-23', candidate: 42 },
      violation: { instancePath: '/items/0/eta', monolith: 'not violated' },
    });
    expect(reason!.message).toMatch(
      /at response \/items\/0\/eta .*; monolith "2026-11-23", candidate 42; the monolith does not violate the document there$/,
    );
  });

  it('cites a status or header value at a status or header violation', () => {
    const r = report();
    const status = { ...violation, code: 'response.status.undocumented', instancePath: 'status', rule: 'status' };
    r.results[0] = result({
      parity: {
        status: 'differs',
        differences: [{ kind: 'status', path: '$', monolith: 200, candidate: 418, message: 'x' }],
        noise: [],
      },
      schema: { request: [], monolith: [], candidate: [status], baseline: [], regressions: [status] },
    });
    const reasons = run({ evidence: evidenceOf(r) }).routes[0]!.reasons;
    expect(reasons.find((x) => x.code === 'schema-regression')!.message).toMatch(/monolith 200, candidate 418/);
  });

  it('says when the monolith gave no response to check the schema against', () => {
    const r = report();
    r.results[0] = result({
      targets: {
        monolith: { outcome: 'error', mismatches: [], timingMs: 1, error: { code: 'X', message: 'down' } },
        candidate: { outcome: 'pass', mismatches: [], timingMs: 1 },
      },
      parity: { status: 'not-compared', differences: [], noise: [] },
      schema: { request: [], monolith: [], candidate: [violation], baseline: [], regressions: [violation] },
    });
    const reason = run({ evidence: evidenceOf(r) }).routes[0]!.reasons.find((x) => x.code === 'schema-regression')!;
    expect(reason.violation?.monolith).toBe('not checked');
    expect(reason.message).toMatch(/the monolith gave no response to check$/);
  });

  it('blocks on baseline violations only when the policy allows no baseline', () => {
    const r = report();
    r.results[0] = result({
      schema: { request: [], monolith: [violation], candidate: [violation], baseline: [violation], regressions: [] },
    });
    expect(run({ evidence: evidenceOf(r) }).outcome).toBe('allowed');
    const strict = policy((y) =>
      y.replace('maxEvidenceAge: 24h', 'maxEvidenceAge: 24h\n  schema: { allowBaseline: false }'),
    );
    const baseline = run({ policy: strict, evidence: evidenceOf(r) }).routes[0]!.reasons;
    expect(baseline.map((x) => x.code)).toEqual(['schema-baseline']);
    expect(baseline[0]!.violation?.monolith).toBe('violated');
    expect(baseline[0]!.message).toMatch(/the monolith also violates the document there \(response\.body\.required\)$/);
  });

  it('blocks when no schema check was recorded and the policy requires one', () => {
    const r = report();
    const { schema: _schema, ...withoutSchema } = result();
    r.results[0] = withoutSchema;
    expect(codes(run({ evidence: evidenceOf(r) }))).toEqual(['schema-not-checked']);
  });

  it('blocks on an errored interaction, naming the target and the error', () => {
    const r = report();
    r.results[2] = result({
      consumer: 'mobile-app',
      description: 'eta of SHP-1001',
      route: { method: 'GET', path: '/api/tracking/SHP-1001/eta' },
      targets: {
        monolith: { outcome: 'pass', mismatches: [], timingMs: 1 },
        candidate: {
          outcome: 'error',
          mismatches: [],
          timingMs: 1,
          error: { code: 'CUTOVER_TARGET_UNREACHABLE', message: 'connect ECONNREFUSED 127.0.0.1:2' },
        },
      },
      parity: { status: 'not-compared', differences: [], noise: [] },
    });
    const reasons = run({ evidence: evidenceOf(r) }).routes[0]!.reasons;
    expect(reasons[0]).toMatchObject({
      code: 'interaction-errored',
      consumer: 'mobile-app',
      interaction: 'eta of SHP-1001',
    });
    expect(reasons[0]!.message).toMatch(
      /candidate could not be judged: \[CUTOVER_TARGET_UNREACHABLE\] connect ECONNREFUSED/,
    );
  });

  it('blocks on an interaction skipped on the candidate', () => {
    const r = report();
    r.results[0] = result({
      targets: {
        monolith: { outcome: 'pass', mismatches: [], timingMs: 1 },
        candidate: { outcome: 'skipped', mismatches: [], timingMs: 0 },
      },
      parity: { status: 'not-compared', differences: [], noise: [] },
    });
    expect(codes(run({ evidence: evidenceOf(r) }))).toEqual(['interaction-skipped', 'parity-not-compared']);
  });

  it('blocks when no interaction falls under the route', () => {
    const r = report({ results: [result({ route: { method: 'GET', path: '/api/shipments/1' } })] });
    const p = policy((y) =>
      y
        .replace(/requiredConsumers: .*/, 'requiredConsumers: []')
        .replace('requireAllOperationsExercised: true', 'requireAllOperationsExercised: false'),
    );
    expect(codes(run({ policy: p, evidence: evidenceOf(r) }))).toEqual(['no-interactions']);
  });

  it('blocks when a required consumer has no evidence', () => {
    const r = report();
    r.results = r.results.filter((x) => x.consumer !== 'mobile-app');
    const decision = run({
      evidence: evidenceOf(r),
      operations: undefined,
      policy: policy((y) => y.replace('requireAllOperationsExercised: true', '')),
    });
    expect(decision.routes[0]!.reasons).toEqual([
      expect.objectContaining({ code: 'consumer-missing', consumer: 'mobile-app' }),
    ]);
  });

  it('blocks when a documented operation under the route is exercised by no consumer', () => {
    const r = report();
    r.results = r.results.filter((x) => !x.route.path.endsWith('/eta'));
    r.results.push(result({ consumer: 'mobile-app' }));
    const reasons = run({ evidence: evidenceOf(r) }).routes[0]!.reasons;
    expect(reasons).toEqual([
      expect.objectContaining({
        code: 'operation-not-exercised',
        operation: { method: 'GET', path: '/api/tracking/{id}/eta' },
      }),
    ]);
    expect(reasons[0]!.message).toMatch(/getTrackingEta/);
  });

  it('blocks when the policy needs the OpenAPI document and none was given', () => {
    expect(codes(run({ operations: undefined }))).toEqual(['openapi-missing']);
  });

  it('blocks results for another candidate version', () => {
    const decision = run({ candidateVersion: '1.5.0' });
    expect(new Set(codes(decision))).toEqual(new Set(['wrong-candidate-version']));
    expect(decision.routes[0]!.reasons[0]!.message).toMatch(/candidate version 1\.4\.0, not 1\.5\.0/);
  });

  it('blocks results that do not say which version they verified when a version is expected', () => {
    const r = report({ provider: { name: 'logistics' } });
    expect(new Set(codes(run({ evidence: evidenceOf(r) })))).toEqual(new Set(['wrong-candidate-version']));
  });

  it('blocks evidence mixing candidate versions when no version is named', () => {
    const web = report({ results: report().results.filter((r) => r.consumer === 'web-app') });
    const mobile = report({
      provider: { name: 'logistics', version: '1.3.9' },
      results: report().results.filter((r) => r.consumer === 'mobile-app'),
    });
    const decision = run({ evidence: evidenceOf(web, mobile), candidateVersion: undefined });
    expect(codes(decision)).toContain('mixed-candidate-versions');
    expect(decision.outcome).toBe('blocked');
  });

  it('blocks evidence about another provider', () => {
    const r = report({ provider: { name: 'billing', version: '1.4.0' } });
    expect(new Set(codes(run({ evidence: evidenceOf(r) })))).toEqual(new Set(['wrong-provider']));
  });

  it('blocks results older than the latest pact of the consumer', () => {
    const r = report();
    r.pacts[0] = { ...r.pacts[0]!, createdAt: '2026-11-22T01:30:00.000Z' };
    const decision = run({ evidence: evidenceOf(r) });
    expect(decision.routes[0]!.reasons).toEqual([
      expect.objectContaining({ code: 'stale-evidence', consumer: 'web-app' }),
    ]);
    expect(decision.routes[0]!.reasons[0]!.message).toMatch(/older than the consumer's latest pact/);
  });

  it('lets a newer results file supersede an older one for the same consumer', () => {
    const old = report();
    old.results[0] = result({ parity: { status: 'not-compared', differences: [], noise: [] } });
    const fresh = report({ startedAt: '2026-11-22T01:10:00.000Z', finishedAt: '2026-11-22T01:10:05.000Z' });
    expect(run({ evidence: evidenceOf(old, fresh) }).outcome).toBe('allowed');
    expect(run({ evidence: evidenceOf(fresh, old) }).outcome).toBe('allowed');
  });

  it('blocks evidence older than the maximum age', () => {
    const decision = run({ now: new Date(Date.parse(T0) + 25 * 3_600_000) });
    expect(new Set(codes(decision))).toEqual(new Set(['evidence-too-old']));
    expect(decision.routes[0]!.reasons[0]!.message).toMatch(/at most 24h/);
  });

  it('blocks evidence that finished in the future beyond the clock-skew allowance', () => {
    const future = report({ startedAt: '2030-01-01T00:00:00.000Z', finishedAt: '2030-01-01T00:00:00.000Z' });
    const decision = run({ evidence: evidenceOf(future) });
    expect(decision.outcome).toBe('blocked');
    expect(codes(decision)).toEqual(['evidence-from-future', 'evidence-from-future']);
    expect(decision.routes[0]!.reasons[0]!.message).toMatch(
      /verify-0\.json finished at 2030-01-01T00:00:00\.000Z, \d+d after now .*clock skew allowed: 5m/,
    );
    // A couple of minutes ahead is clock skew between machines, not evidence from the future.
    const skewed = new Date(NOW.getTime() + 2 * 60_000).toISOString();
    expect(run({ evidence: evidenceOf(report({ startedAt: T0, finishedAt: skewed })) }).outcome).toBe('allowed');
    expect(run({ evidence: evidenceOf(report({ startedAt: T0, finishedAt: skewed })), clockSkewMs: 0 }).outcome).toBe(
      'blocked',
    );
  });

  describe('fails closed on contradicting results that bypass the evidence checks', () => {
    const diff = { kind: 'value' as const, path: '$.status', monolith: 'DELIVERED', candidate: 'LOST', message: 'x' };
    const raw = (r: ReturnType<typeof result>): Evidence => ({
      reports: [{ ...evidenceFrom(report(), 'raw.json'), results: [r, ...report().results.slice(1)] }],
      problems: [],
    });
    it.each([
      ['identical', 'parity-differs'],
      ['noise-only', 'parity-differs'],
    ] as const)('parity "%s" with differences blocks as %s', (status, code) => {
      const decision = run({ evidence: raw(result({ parity: { status, differences: [diff], noise: [] } })) });
      expect(codes(decision)).toEqual([code]);
      expect(decision.routes[0]!.reasons[0]!.difference).toMatchObject({ monolith: 'DELIVERED', candidate: 'LOST' });
    });
    it('a "pass" with mismatches blocks as pact-failed', () => {
      const mismatch = { kind: 'body' as const, path: '$.status', expected: 'DELIVERED', actual: 'LOST', message: 'x' };
      const r = result();
      r.targets.candidate = { outcome: 'pass', mismatches: [mismatch], timingMs: 1 };
      expect(codes(run({ evidence: raw(r) }))).toEqual(['pact-failed']);
    });
    it('parity claimed without a monolith response blocks as parity-not-compared', () => {
      const r = result();
      delete r.targets.monolith;
      const decision = run({ evidence: raw(r) });
      expect(codes(decision)).toEqual(['parity-not-compared']);
      expect(decision.routes[0]!.reasons[0]!.message).toMatch(/the monolith has no judged response/);
    });
    it('an unknown parity status blocks as parity-not-compared', () => {
      const r = result({ parity: { status: 'same' as 'identical', differences: [], noise: [] } });
      expect(codes(run({ evidence: raw(r) }))).toEqual(['parity-not-compared']);
    });
  });

  it('blocks every route on a problem that concerns all evidence (an unreachable broker)', () => {
    const evidence: Evidence = {
      reports: [],
      problems: [
        {
          code: 'evidence-unavailable',
          message: 'http://broker: the broker cannot be reached (ECONNREFUSED)',
          source: 'http://broker',
        },
      ],
    };
    const decision = run({ evidence });
    expect(decision.outcome).toBe('blocked');
    expect(codes(decision)[0]).toBe('evidence-unavailable');
  });

  it('blocks only the routes whose requests a consumer-specific problem concerns', () => {
    const p = policy((y) =>
      y.replace(
        'routes:',
        'routes:\n  - name: auth\n    match: { methods: [POST], path: /api/auth/** }\n    currentWeight: 0\n    rules: { requiredConsumers: [] }',
      ),
    );
    const r = report();
    r.results.push(result({ route: { method: 'POST', path: '/api/auth/login' } }));
    const evidence = evidenceOf(r);
    evidence.problems.push({
      code: 'parity-unprovable',
      message: 'verification without cutover results',
      source: 'http://broker/v/1',
      consumer: 'web-app',
      requests: [{ method: 'POST', path: '/api/auth/login' }],
    });
    const decision = run({ policy: p, evidence });
    expect(decision.routes.find((x) => x.name === 'auth')!.reasons.map((x) => x.code)).toEqual(['parity-unprovable']);
    expect(decision.routes.find((x) => x.name === 'tracking')!.outcome).toBe('allowed');
    expect(decision.outcome).toBe('blocked');
  });

  describe('against the current pact files', () => {
    /** The current pact of a consumer; by default its requests are the ones the fixture report verified. */
    const current = (
      consumer: string,
      sha256: string,
      requests: PactFingerprint['requests'] = report()
        .results.filter((r) => r.consumer === consumer)
        .map((r, index) => ({ index, description: r.description, method: r.route.method, path: r.route.path })),
    ): PactFingerprint => ({
      consumer,
      provider: 'logistics',
      source: `contracts/pacts/${consumer}-logistics.json`,
      sha256,
      requests,
    });
    function withShas(): VerificationReport {
      const r = report();
      r.pacts = r.pacts.map((p) => ({ ...p, sha256: `${p.consumer}-sha` }));
      return r;
    }

    describe('when staleness cannot be checked (no --pact, no pacts[].createdAt)', () => {
      function fileShas(): VerificationReport {
        const r = withShas();
        r.pacts = r.pacts.map(({ createdAt: _createdAt, ...p }) => p);
        return r;
      }

      it('allows, but warns that staleness was not checked, naming the consumers', () => {
        const decision = run({ evidence: evidenceOf(fileShas()) });
        expect(decision.outcome).toBe('allowed');
        expect(decision.warnings).toEqual([
          expect.stringMatching(
            /^staleness could not be checked for mobile-app \(verify-0\.json\), web-app \(verify-0\.json\): no current pact was given \(--pact\).*requirePactFingerprints: true/,
          ),
        ]);
      });

      it('does not warn when the current pacts are given or the results record createdAt', () => {
        const pacts = [current('web-app', 'web-app-sha'), current('mobile-app', 'mobile-app-sha')];
        expect(run({ evidence: evidenceOf(fileShas()), pacts }).warnings).toEqual([]);
        expect(run({ evidence: evidenceOf(withShas()) }).warnings).toEqual([]);
      });

      it('blocks with requirePactFingerprints unless the current pacts were checked', () => {
        const strict = policy((y) =>
          y.replace('maxEvidenceAge: 24h', 'maxEvidenceAge: 24h\n  requirePactFingerprints: true'),
        );
        const blocked = run({ policy: strict, evidence: evidenceOf(withShas()) });
        expect(codes(blocked)).toEqual(['pact-not-fingerprinted', 'pact-not-fingerprinted']);
        expect(blocked.routes[0]!.reasons[0]!.message).toMatch(
          /mobile-app: nothing shows that verify-0\.json verified the current pact .*requirePactFingerprints/,
        );
        const pacts = [current('web-app', 'web-app-sha'), current('mobile-app', 'mobile-app-sha')];
        expect(run({ policy: strict, evidence: evidenceOf(withShas()), pacts }).outcome).toBe('allowed');
      });
    });

    it('allows evidence that verified exactly the current pacts', () => {
      const pacts = [current('web-app', 'web-app-sha'), current('mobile-app', 'mobile-app-sha')];
      expect(run({ evidence: evidenceOf(withShas()), pacts }).outcome).toBe('allowed');
    });

    it('blocks evidence that verified other pact content, naming both hashes', () => {
      const pacts = [current('web-app', 'changed-sha'), current('mobile-app', 'mobile-app-sha')];
      const reasons = run({ evidence: evidenceOf(withShas()), pacts }).routes[0]!.reasons;
      expect(reasons).toEqual([expect.objectContaining({ code: 'stale-evidence', consumer: 'web-app' })]);
      expect(reasons[0]!.message).toMatch(
        /contracts\/pacts\/web-app-logistics\.json changed since verify-0\.json verified it \(sha256 changed-sha… now, web-app-sha… verified\)/,
      );
    });

    it('blocks evidence that does not record which pact content it verified', () => {
      const reasons = run({ pacts: [current('web-app', 'x')] }).routes[0]!.reasons;
      expect(reasons.map((r) => r.code)).toEqual(['stale-evidence']);
      expect(reasons[0]!.message).toMatch(/does not show that it verified the current pact/);
    });

    it('blocks a consumer whose pact touches the route but has no results, even when not required', () => {
      const p = policy((y) => y.replace(/requiredConsumers: .*/, 'requiredConsumers: []'));
      const pacts = [
        current('web-app', 'web-app-sha'),
        current('mobile-app', 'mobile-app-sha'),
        current('partner', 'p-sha', [{ index: 0, description: 'x', method: 'GET', path: '/api/tracking/X' }]),
      ];
      const decision = run({ policy: p, evidence: evidenceOf(withShas()), pacts });
      expect(decision.routes[0]!.reasons).toEqual([
        expect.objectContaining({ code: 'consumer-missing', consumer: 'partner' }),
      ]);
      expect(decision.routes[0]!.reasons[0]!.message).toMatch(
        /has 1 interaction\(s\) under GET \/api\/tracking\/\*\* \(e\.g\. GET \/api\/tracking\/X\)/,
      );
      const elsewhere = [
        ...pacts.slice(0, 2),
        current('partner', 'p-sha', [{ index: 0, description: 'login', method: 'POST', path: '/api/auth/login' }]),
      ];
      expect(run({ policy: p, evidence: evidenceOf(withShas()), pacts: elsewhere }).outcome).toBe('allowed');
    });
  });
});
