import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { isCutoverError } from '@cutover/core';
import { decide, type GateDecision } from './decide.js';
import { parsePolicy, POLICY_SCHEMA_URL } from './policy.js';
import { renderRouting } from './routing.js';
import { MAX_NAME_LENGTH, SERVICE_NAME, UPSTREAM_NAME } from './values.js';
import { NOW, OPERATIONS, evidenceFrom, policy, report } from './__fixtures__/evidence.js';
import { nginxTest, requireNginx } from './__fixtures__/nginx.js';

/**
 * Each payload tries to leave its place (a comment, a quoted string) and add config. All of them
 * carry the unknown directive `cutover_injected`: if any part became config, `nginx -t` would
 * refuse it, so a passing `nginx -t` proves nothing was injected.
 */
const PAYLOADS: Record<string, string> = {
  newline: 'x\nadd_header X-Injected 1;\ncutover_injected on;',
  'carriage return': 'x\radd_header X-Injected 1; cutover_injected on;',
  'quote and semicolon': 'x"; add_header X-Injected 1; cutover_injected on; "',
  'backslash quote': 'x\\"; cutover_injected on; #\\',
  braces: 'x } cutover_injected on; location / { return 204; } {',
  'dollar and hash': '$host #x\ncutover_injected $request_id;',
  'unicode line breaks': 'x\u2028cutover_injected: 1\u0085cutover_injected on;\u2029y',
};

/** Allowed at 1% → 10%, so every construct is written: split_clients, map, location. */
function baseDecision(): GateDecision {
  const p = policy((y) => y.replace('currentWeight: 0', 'currentWeight: 1'));
  return decide({
    policy: p,
    evidence: { reports: [evidenceFrom(report(), 'verify.json')], problems: [] },
    candidateVersion: '1.4.0',
    operations: OPERATIONS,
    now: NOW,
  });
}

type Field = 'service' | 'version' | 'policy path' | 'route name';

/** A decision built in code with `value` where the gate would never let it through, to test the escaping itself. */
function hostile(field: Field, value: string): GateDecision {
  const d = baseDecision();
  switch (field) {
    case 'service':
      return { ...d, policy: { ...d.policy, candidate: { ...d.policy.candidate, service: value } } };
    case 'version':
      return { ...d, candidateVersion: value };
    case 'policy path':
      return { ...d, policy: { ...d.policy, source: value } };
    case 'route name':
      return { ...d, routes: d.routes.map((r) => ({ ...r, name: value })) };
  }
}

/** What nginx parses: the snippet without comments and blank lines. */
function directives(content: string): string[] {
  return content.split('\n').filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));
}

const FIELDS: Field[] = ['service', 'version', 'policy path', 'route name'];
const CASES = FIELDS.flatMap((field) => Object.entries(PAYLOADS).map(([name, value]) => [field, name, value] as const));

describe('routing artifacts with hostile values', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cutover-inject-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.for(CASES)(
    'nginx: a %s with %s passes the real `nginx -t` and adds no directive',
    async ([field, , value], ctx) => {
      const nginx = requireNginx(ctx, 'the snippets generated from hostile values with `nginx -t`');
      if (!nginx) return;
      const files = renderRouting(hostile(field, value), { gateway: 'nginx' });
      const stderr = await nginxTest(nginx, await mkdtemp(join(dir, 'case-')), files);
      expect(stderr).toMatch(/test is successful/);
      const baseline = renderRouting(baseDecision(), { gateway: 'nginx' });
      files.forEach((f, i) => {
        expect(f.content).not.toMatch(/^\s*(add_header|cutover_injected|location \/ \{ return)/m);
        // The same directives as with harmless values (route names only rename the variables).
        if (field !== 'route name') expect(directives(f.content)).toEqual(directives(baseline[i]!.content));
        else expect(directives(f.content).length).toBe(directives(baseline[i]!.content).length);
      });
    },
  );

  it.for(CASES)('Envoy: a %s with %s stays a value or a comment of the YAML', ([field, , value]) => {
    const [artifact] = renderRouting(hostile(field, value), { gateway: 'envoy' });
    const [baseline] = renderRouting(baseDecision(), { gateway: 'envoy' });
    const parsed = parseYaml(artifact!.content) as { virtual_hosts: { routes: { name: string }[] }[] };
    if (field === 'route name') {
      expect(parsed.virtual_hosts[0]!.routes[0]!.name).toBe(value);
      parsed.virtual_hosts[0]!.routes[0]!.name = 'tracking';
    }
    expect(parsed).toEqual(parseYaml(baseline!.content));
    // In a comment the value keeps to its line: the file has as many lines as with harmless values.
    if (field !== 'route name') expect(artifact!.content.split('\n').length).toBe(baseline!.content.split('\n').length);
  });

  it.for(CASES)('JSON: a %s with %s round-trips as a string', ([field, , value]) => {
    const [artifact] = renderRouting(hostile(field, value), { gateway: 'json' });
    const doc = JSON.parse(artifact!.content) as {
      policy: string;
      candidate: { service: string; version?: string };
      routes: { name: string }[];
    };
    const read = {
      service: doc.candidate.service,
      version: doc.candidate.version,
      'policy path': doc.policy,
      'route name': doc.routes[0]!.name,
    }[field];
    expect(read).toBe(value);
  });

  it('refuses an upstream name that would be written as an nginx word, naming the field', () => {
    const d = baseDecision();
    const bad = { ...d, policy: { ...d.policy, monolith: { upstream: 'monolith; cutover_injected on' } } };
    expect(() => renderRouting(bad, { gateway: 'nginx' })).toThrow(/\$\.monolith\.upstream|monolith\.upstream/);
    try {
      renderRouting(bad, { gateway: 'envoy' });
      expect.unreachable();
    } catch (error) {
      expect(isCutoverError(error) && error.code).toBe('CUTOVER_CONFIG_INVALID');
    }
  });

  it('gives routes whose names differ only in - and _ their own nginx variables, and bounds long names', async (ctx) => {
    const nginx = requireNginx(ctx, 'routes with similar and long names with `nginx -t`');
    if (!nginx) return;
    const d = baseDecision();
    const route = d.routes[0]!;
    const names = ['eta-writes', 'eta_writes', 'a'.repeat(60), `${'a'.repeat(59)}b`];
    const decision = {
      ...d,
      routes: names.map((name, i) => ({ ...route, name, path: `/api/r${i}/**` })),
    };
    const files = renderRouting(decision, { gateway: 'nginx' });
    const variables = [...files[0]!.content.matchAll(/^map "[^"]*" \$(\S+) \{/gm)].map((m) => m[1]!);
    expect(new Set(variables).size).toBe(names.length);
    for (const v of variables) expect(v.length).toBeLessThanOrEqual(40);
    await expect(nginxTest(nginx, await mkdtemp(join(dir, 'names-')), files)).resolves.toMatch(/test is successful/);
  });

  it('quotes the split key, so a quote cannot end its string', async (ctx) => {
    const nginx = requireNginx(ctx, 'a quoted split key with `nginx -t`');
    if (!nginx) return;
    const files = renderRouting(baseDecision(), {
      gateway: 'nginx',
      nginxSplitKey: '$remote_addr"; cutover_injected on; "',
    });
    expect(files[0]!.content).toContain(
      'split_clients "$remote_addr\\"; cutover_injected on; \\"" $cutover_tracking_bucket {',
    );
    await expect(nginxTest(nginx, await mkdtemp(join(dir, 'split-')), files)).resolves.toMatch(/test is successful/);
  });
});

describe('policy values written into artifacts', () => {
  it.for(Object.entries(PAYLOADS))('refuses a candidate service with %s, naming $.candidate.service', ([, value]) => {
    const text = `version: 1\ncandidate: { service: ${JSON.stringify(value)} }\nroutes:\n  - { name: t, match: { methods: [GET], path: /api/** }, currentWeight: 0 }\n`;
    expect(() => parsePolicy(text, 'cutover.yaml')).toThrow(/\$\.candidate\.service: must match pattern/);
  });

  it('uses the same service and upstream grammar in the published policy schema as in the gate', async () => {
    const schema = JSON.parse(await readFile(POLICY_SCHEMA_URL, 'utf8')) as {
      properties: { candidate: { properties: { service: { pattern: string; maxLength: number } } } };
      definitions: { upstreamName: { pattern: string } };
    };
    expect(schema.properties.candidate.properties.service.pattern).toBe(SERVICE_NAME.source);
    expect(schema.properties.candidate.properties.service.maxLength).toBe(MAX_NAME_LENGTH);
    expect(schema.definitions.upstreamName.pattern).toBe(UPSTREAM_NAME.source);
  });

  it('accepts service names that are names or host:port, spaces included', () => {
    for (const service of ['tracking-service', 'tracking service', 'tracking.internal:8080', 'team/tracking@v2'])
      expect(
        parsePolicy(
          `version: 1\ncandidate: { service: "${service}" }\nroutes:\n  - { name: t, match: { methods: [GET], path: /api/** }, currentWeight: 0 }\n`,
        ).candidate.service,
      ).toBe(service);
  });
});
