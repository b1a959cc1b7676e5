import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlagdCore } from '@openfeature/flagd-core';
import { isCutoverError } from '@cutover/core';
import { decide, type GateDecision } from './decide.js';
import { parsePolicy } from './policy.js';
import { renderRouting } from './routing.js';
import { checkGatewaySupport, flagKey } from './tenant-routing.js';
import { NOW, OPERATIONS, POLICY_YAML, evidenceFrom, policy, report, result } from './__fixtures__/evidence.js';
import { listen, requireNginx, startNginx, nginxTest } from './__fixtures__/nginx.js';

const TENANT_SPLIT = 'split:\n  by: tenant\n  tenantKey: { header: X-Tenant-Id }\n  pilotTenants: [acme, globex.eu]\n';
const TENANTS = Array.from({ length: 300 }, (_, i) => `tenant-${i}`);
const STEPS = [0, 1, 10, 50];

/** The gate's decision for the fixture route at `currentWeight`, with the split given as YAML. */
function decisionAt(
  currentWeight: number,
  options: { split?: string; failing?: boolean; rollback?: 'zero' | 'previous-step' } = {},
): GateDecision {
  const p = policy((y) => {
    let text = y
      .replace('currentWeight: 0', `currentWeight: ${currentWeight}`)
      .replace('defaults:', `${options.split ?? TENANT_SPLIT}defaults:`);
    if (options.rollback)
      text = text.replace('    rules:\n', `    rollback: { to: ${options.rollback} }\n    rules:\n`);
    return text;
  });
  const r = report();
  if (options.failing)
    r.results[0] = result({
      parity: {
        status: 'differs',
        differences: [
          { kind: 'extra', path: '$.internalRef', monolith: undefined, candidate: 'X-1', message: 'extra field' },
        ],
        noise: [],
      },
    });
  return decide({
    policy: p,
    evidence: { reports: [evidenceFrom(r, 'verify.json')], problems: [] },
    candidateVersion: '1.4.0',
    operations: OPERATIONS,
    now: NOW,
  });
}

function errorOf(fn: () => unknown): Error & { code?: string; details?: Record<string, unknown> } {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

/** Tenants on the candidate, in order. */
type Side = 'candidate' | 'monolith';

function candidates(sides: Map<string, Side>): string[] {
  return [...sides].filter(([, side]) => side === 'candidate').map(([tenant]) => tenant);
}

function expectForwardOnly(steps: { weight: number; on: string[] }[]): void {
  for (let i = 1; i < steps.length; i++) {
    const later = new Set(steps[i]!.on);
    const movedBack = steps[i - 1]!.on.filter((t) => !later.has(t));
    expect(movedBack, `tenants on the candidate at ${steps[i - 1]!.weight}% but not at ${steps[i]!.weight}%`).toEqual(
      [],
    );
  }
}

/** A share of 300 hashed tenants that is plausible for the weight (binomial, ±4 sd). */
function expectShare(count: number, weight: number): void {
  const n = TENANTS.length;
  const sd = Math.sqrt(n * (weight / 100) * (1 - weight / 100));
  expect(count).toBeGreaterThanOrEqual(Math.floor((n * weight) / 100 - 4 * sd));
  expect(count).toBeLessThanOrEqual(Math.ceil((n * weight) / 100 + 4 * sd));
}

describe('tenant split in the policy', () => {
  it('reads the tenant key, pilot tenants and the rollback target', () => {
    const p = parsePolicy(
      POLICY_YAML.replace('defaults:', `${TENANT_SPLIT}rollback: { to: previous-step }\ndefaults:`),
      'p.yaml',
    );
    expect(p.split).toEqual({
      by: 'tenant',
      tenantKey: { header: 'X-Tenant-Id' },
      pilotTenants: ['acme', 'globex.eu'],
    });
    expect(p.routes[0]!.rollbackTo).toBe('previous-step');
    const jwt = parsePolicy(
      POLICY_YAML.replace('defaults:', 'split: { by: tenant, tenantKey: { jwtClaim: { claim: tid } } }\ndefaults:'),
    );
    expect(jwt.split).toEqual({
      by: 'tenant',
      tenantKey: { jwtClaim: { claim: 'tid', header: 'Authorization' } },
      pilotTenants: [],
    });
    expect(parsePolicy(POLICY_YAML).split).toEqual({ by: 'request' });
    expect(parsePolicy(POLICY_YAML).routes[0]!.rollbackTo).toBe('zero');
  });

  it.each([
    [
      'a header name with an underscore',
      'split: { by: tenant, tenantKey: { header: X_Tenant } }',
      '$.split.tenantKey.header',
    ],
    [
      'a header name with a line break',
      'split: { by: tenant, tenantKey: { header: "X-Tenant\\nset $x 1;" } }',
      '$.split.tenantKey.header',
    ],
    ['a cookie name with a quote', `split: { by: tenant, tenantKey: { cookie: 'a"b' } }`, '$.split.tenantKey.cookie'],
    [
      'a query parameter with a dollar',
      'split: { by: tenant, tenantKey: { query: "$host" } }',
      '$.split.tenantKey.query',
    ],
    ['two key sources', 'split: { by: tenant, tenantKey: { header: X-T, cookie: t } }', '$.split.tenantKey'],
    ['an unknown key source', 'split: { by: tenant, tenantKey: { body: tenant } }', '$.split.tenantKey'],
    ['a tenant split without a key', 'split: { by: tenant }', '$.split'],
    ['pilots on a per-request split', 'split: { by: request, pilotTenants: [acme] }', '$.split.pilotTenants'],
    [
      'a pilot tenant that closes the nginx string',
      `split: { by: tenant, tenantKey: { header: X-T }, pilotTenants: ['acme" candidate; } #'] }`,
      '$.split.pilotTenants[0]',
    ],
    [
      'a pilot tenant with a regex',
      'split: { by: tenant, tenantKey: { header: X-T }, pilotTenants: ["a.*"] }',
      '$.split.pilotTenants[0]',
    ],
    ['an unknown rollback target', 'rollback: { to: fifty }', '$.rollback.to'],
  ])('refuses %s with CUTOVER_CONFIG_INVALID naming the JSON path', (_, yaml, jsonPath) => {
    const error = errorOf(() => parsePolicy(POLICY_YAML.replace('defaults:', `${yaml}\ndefaults:`), 'p.yaml'));
    expect(isCutoverError(error) && error.code).toBe('CUTOVER_CONFIG_INVALID');
    expect(error.message).toContain(jsonPath);
    expect(error.message).toContain('p.yaml:');
  });

  it('refuses hostile names in a split built in code before writing any artifact', () => {
    const decision = decisionAt(1);
    const hostile: GateDecision = {
      ...decision,
      policy: {
        ...decision.policy,
        split: { by: 'tenant', tenantKey: { header: 'X-T' }, pilotTenants: ['acme";\n}'] },
      },
    };
    for (const gateway of ['nginx', 'flagd', 'json'] as const) {
      const error = errorOf(() => renderRouting(hostile, { gateway }));
      expect(isCutoverError(error) && error.code).toBe('CUTOVER_CONFIG_INVALID');
      expect(error.message).toContain('$.split.pilotTenants[0]');
    }
  });

  it('refuses the artifacts that cannot express the split, with a coded error saying why', () => {
    const envoy = errorOf(() => renderRouting(decisionAt(1), { gateway: 'envoy' }));
    expect(isCutoverError(envoy) && envoy.code).toBe('CUTOVER_CONFIG_INVALID');
    expect(envoy.message).toMatch(/Envoy artifact cannot split by tenant.*weighted_clusters/);
    const jwt = decisionAt(1, { split: 'split: { by: tenant, tenantKey: { jwtClaim: { claim: tid } } }\n' });
    const nginx = errorOf(() => renderRouting(jwt, { gateway: 'nginx' }));
    expect(isCutoverError(nginx) && nginx.code).toBe('CUTOVER_CONFIG_INVALID');
    expect(nginx.message).toMatch(/nginx artifact cannot read a JWT claim.*njs/);
    expect(nginx.message).toContain('$.split.tenantKey.jwtClaim');
    // The flag service's application reads the verified claim itself.
    expect(() => renderRouting(jwt, { gateway: 'flagd' })).not.toThrow();
    expect(() => checkGatewaySupport({ by: 'request' }, 'envoy', 'p.yaml')).not.toThrow();
  });
});

describe('nginx split by tenant, driven through the real nginx', () => {
  let dir: string;
  const upstreams: Awaited<ReturnType<typeof listen>>[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cutover-tenant-'));
    upstreams.push(await listen('monolith'), await listen('candidate'));
  });
  afterAll(async () => {
    await Promise.all(upstreams.map((u) => new Promise((resolve) => u.server.close(resolve))));
    await rm(dir, { recursive: true, force: true });
  });

  /** Where nginx sends each tenant (and a request without a key) under the decision's artifact. */
  async function sides(
    nginx: string,
    decision: GateDecision,
    request: (tenant: string | undefined) => RequestInit & { query?: string } = (tenant) =>
      tenant === undefined ? {} : { headers: { 'X-Tenant-Id': tenant } },
    tenants: string[] = [...TENANTS, 'acme', 'globex.eu', 'ACME', 'globexxeu'],
  ): Promise<{ tenants: Map<string, Side>; keyless: Side }> {
    const caseDir = await mkdtemp(join(dir, 'case-'));
    const server = await startNginx(nginx, caseDir, renderRouting(decision, { gateway: 'nginx' }), {
      monolithPort: upstreams[0]!.port,
      candidatePort: upstreams[1]!.port,
    });
    const ask = async (tenant: string | undefined): Promise<Side> => {
      const { query, ...init } = request(tenant);
      const response = await fetch(`http://127.0.0.1:${server.port}/api/tracking/SHP-1${query ?? ''}`, init);
      await response.arrayBuffer();
      return response.headers.get('x-upstream') as Side;
    };
    try {
      const result = new Map<string, Side>();
      for (const tenant of tenants) {
        const side = await ask(tenant);
        // The same tenant lands on the same side on every request (checked for a sample).
        if (result.size % 10 === 0) expect(await ask(tenant), `second request of ${tenant}`).toBe(side);
        result.set(tenant, side);
      }
      return { tenants: result, keyless: await ask(undefined) };
    } finally {
      await server.stop();
    }
  }

  it('keeps every tenant on the candidate once it is there, 1% → 10% → 50% → 100%, pilots first', async (ctx) => {
    const nginx = requireNginx(ctx, 'tenant stickiness through the real nginx');
    if (!nginx) return;
    const steps: { weight: number; on: string[] }[] = [];
    for (const current of STEPS) {
      const decision = decisionAt(current);
      expect(decision.outcome).toBe('allowed');
      const { tenants, keyless } = await sides(nginx, decision);
      const weight = decision.routes[0]!.nextWeight;
      expect(tenants.get('acme'), `pilot acme at ${weight}%`).toBe('candidate');
      expect(tenants.get('globex.eu'), `pilot globex.eu at ${weight}%`).toBe('candidate');
      if (weight < 100) expect(keyless, `a request without a tenant key at ${weight}%`).toBe('monolith');
      // Pilots are compared exactly: neither another case nor the regex reading of "." matches
      // (at 1% these two names hash to the monolith side).
      if (weight === 1) expect([tenants.get('ACME'), tenants.get('globexxeu')]).toEqual(['monolith', 'monolith']);
      const hashed = TENANTS.filter((t) => tenants.get(t) === 'candidate');
      if (weight === 100) expect(hashed).toHaveLength(TENANTS.length);
      else expectShare(hashed.length, weight);
      steps.push({ weight, on: hashed });
    }
    expect(steps.map((s) => s.weight)).toEqual([1, 10, 50, 100]);
    expectForwardOnly(steps);
  });

  it('rolls back to the previous step with exactly the tenants of that step, and to zero with none', async (ctx) => {
    const nginx = requireNginx(ctx, 'rollback through the real nginx');
    if (!nginx) return;
    const forward = await sides(nginx, decisionAt(0));
    const toPrevious = decisionAt(10, { failing: true, rollback: 'previous-step' });
    expect(toPrevious.routes[0]!.rollback).toEqual({ from: 10, to: 1, because: ['parity-differs'] });
    const back = await sides(nginx, toPrevious);
    expect(candidates(back.tenants)).toEqual(candidates(forward.tenants));
    const toZero = await sides(nginx, decisionAt(10, { failing: true }));
    expect(candidates(toZero.tenants)).toEqual([]);
    expect(toZero.keyless).toBe('monolith');
  });

  it.for([
    [
      'a query parameter',
      'split: { by: tenant, tenantKey: { query: tenant } }\n',
      (t: string) => ({ query: `?tenant=${t}` }),
    ],
    [
      'a cookie',
      'split: { by: tenant, tenantKey: { cookie: tenant } }\n',
      (t: string) => ({ headers: { cookie: `a=1; tenant=${t}` } }),
    ],
  ] as const)('reads the tenant key from %s: the same tenants as by header', async ([, split, request], ctx) => {
    const nginx = requireNginx(ctx, 'tenant keys from query and cookie through the real nginx');
    if (!nginx) return;
    const some = TENANTS.slice(0, 60);
    const byHeader = await sides(nginx, decisionAt(10), undefined, some);
    const byOther = await sides(nginx, decisionAt(10, { split }), (t) => (t === undefined ? {} : request(t)), some);
    expect(candidates(byOther.tenants)).toEqual(candidates(byHeader.tenants));
    expect(byOther.keyless).toBe('monolith');
  });

  it('passes `nginx -t` with hostile-looking but valid tenant names and every key source', async (ctx) => {
    const nginx = requireNginx(ctx, 'the tenant snippets with `nginx -t`');
    if (!nginx) return;
    for (const split of [
      "split: { by: tenant, tenantKey: { header: X-Tenant-Id }, pilotTenants: ['a.b', 'x:y@z', 'A-1_', '0'] }\n",
      'split: { by: tenant, tenantKey: { query: tenant_id } }\n',
      'split: { by: tenant, tenantKey: { cookie: TENANT } }\n',
    ])
      await nginxTest(
        nginx,
        await mkdtemp(join(dir, 't-')),
        renderRouting(decisionAt(10, { split }), { gateway: 'nginx' }),
      );
  });
});

describe('flagd flag definition, evaluated by flagd-core', () => {
  function evaluate(decision: GateDecision, tenants: (string | undefined)[]): Map<string | undefined, Side> {
    const [artifact] = renderRouting(decision, { gateway: 'flagd' });
    expect(artifact!.file).toBe('cutover-flagd.json');
    const core = new FlagdCore();
    // flagd's own schema validation: an invalid definition is refused here.
    core.setConfigurations(artifact!.content);
    const key = flagKey(decision.routes[0]!);
    const out = new Map<string | undefined, Side>();
    for (const tenant of tenants) {
      const resolved = core.resolveStringEvaluation(key, 'unset', tenant === undefined ? {} : { targetingKey: tenant });
      expect(['candidate', 'monolith']).toContain(resolved.value);
      out.set(tenant, resolved.value as Side);
    }
    return out;
  }

  it('is sticky and forward-only across steps, pilots first, key-less on the monolith', () => {
    const steps: { weight: number; on: string[] }[] = [];
    for (const current of STEPS) {
      const decision = decisionAt(current);
      const weight = decision.routes[0]!.nextWeight;
      const sides = evaluate(decision, [...TENANTS, 'acme', 'globex.eu', '', undefined]);
      expect(sides.get('acme')).toBe('candidate');
      expect(sides.get('globex.eu')).toBe('candidate');
      if (weight < 100) {
        expect(sides.get(undefined)).toBe('monolith');
        expect(sides.get('')).toBe('monolith');
      }
      const hashed = TENANTS.filter((t) => sides.get(t) === 'candidate');
      if (weight === 100) expect(hashed).toHaveLength(TENANTS.length);
      else expectShare(hashed.length, weight);
      steps.push({ weight, on: hashed });
    }
    expectForwardOnly(steps);
  });

  it('agrees with the nginx artifact and the JSON weights on weights, pilots and rollbacks', () => {
    const rolled = decisionAt(10, { failing: true });
    const flags = evaluate(rolled, [...TENANTS, 'acme']);
    expect([...flags.values()].every((side) => side === 'monolith')).toBe(true);
    const json = JSON.parse(renderRouting(rolled, { gateway: 'json' })[0]!.content) as {
      outcome: string;
      split: unknown;
      routes: { weights: { candidate: number }; decision: string; rollback: unknown }[];
    };
    expect(json.outcome).toBe('rollback');
    expect(json.split).toEqual(rolled.policy.split);
    expect(json.routes[0]).toMatchObject({
      weights: { candidate: 0 },
      decision: 'rollback',
      rollback: { from: 10, to: 0, because: ['parity-differs'] },
    });
    const flagd = JSON.parse(renderRouting(rolled, { gateway: 'flagd' })[0]!.content) as {
      flags: Record<string, { metadata: Record<string, unknown> }>;
    };
    expect(flagd.flags['cutover.route.tracking']!.metadata).toMatchObject({
      weight: 0,
      previousWeight: 10,
      decision: 'rollback',
    });
  });
});
