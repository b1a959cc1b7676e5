import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCutoverError } from '@cutover/core';
import { loadPolicy, parsePolicy, POLICY_SCHEMA_URL, selectRoutes } from './policy.js';
import { documentedOperations, OpenApiDocument } from '@cutover/openapi';
import { checkRoutesKnown, loadDocumentedOperations, openApiLoader, operationsUnder } from './openapi.js';
import { OPENAPI, OPERATIONS, POLICY_YAML } from './__fixtures__/evidence.js';

const operationsOf = (document: Record<string, unknown>) =>
  documentedOperations(new OpenApiDocument(document, { source: 'api.yaml' }));

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

function errorOf(fn: () => unknown): Error & { code?: string; details?: Record<string, unknown> } {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('parsePolicy', () => {
  it('applies fail-closed defaults and the default rollout steps', () => {
    const policy = parsePolicy(
      'version: 1\ncandidate: { service: tracking service }\nroutes:\n  - { name: t, match: { methods: [GET], path: /api/tracking/** }, currentWeight: 0 }\n',
    );
    expect(policy.candidate).toEqual({ service: 'tracking service', upstream: 'tracking_service' });
    expect(policy.monolith.upstream).toBe('monolith');
    expect(policy.routes[0]).toMatchObject({
      rolloutSteps: [1, 10, 50, 100],
      requestedWeight: 100,
      rules: {
        requirePactPass: true,
        parity: { required: true, allowNoise: true },
        schema: { required: true, allowBaseline: true },
        requiredConsumers: [],
        requireAllOperationsExercised: false,
      },
    });
    expect(policy.routes[0]!.rules.maxEvidenceAgeMs).toBeUndefined();
  });

  it('reads requirePactFingerprints (default false) from defaults and routes', () => {
    expect(parsePolicy(POLICY_YAML).routes[0]!.rules.requirePactFingerprints).toBe(false);
    const on = parsePolicy(POLICY_YAML.replace('defaults:', 'defaults:\n  requirePactFingerprints: true'));
    expect(on.routes[0]!.rules.requirePactFingerprints).toBe(true);
    expect(
      errorOf(() => parsePolicy(POLICY_YAML.replace('defaults:', 'defaults:\n  requirePactFingerprints: yes please')))
        .message,
    ).toMatch(/\$\.defaults\.requirePactFingerprints: must be boolean/);
  });

  it('reads allowBroaderThanEvidence (default false) from defaults and routes', () => {
    expect(parsePolicy(POLICY_YAML).routes[0]!.rules.allowBroaderThanEvidence).toBe(false);
    const on = parsePolicy(POLICY_YAML.replace('defaults:', 'defaults:\n  allowBroaderThanEvidence: true'));
    expect(on.routes[0]!.rules.allowBroaderThanEvidence).toBe(true);
    expect(
      errorOf(() => parsePolicy(POLICY_YAML.replace('defaults:', 'defaults:\n  allowBroaderThanEvidence: 1'))).message,
    ).toMatch(/\$\.defaults\.allowBroaderThanEvidence: must be boolean/);
  });

  it('merges defaults and route rules, the route winning', () => {
    const policy = parsePolicy(
      POLICY_YAML.replace('maxEvidenceAge: 24h', 'maxEvidenceAge: 24h\n  parity: { allowNoise: false }'),
    );
    expect(policy.routes[0]!.rules).toMatchObject({
      parity: { required: true, allowNoise: false },
      requiredConsumers: ['web-app', 'mobile-app'],
      maxEvidenceAgeMs: 24 * 3_600_000,
      maxEvidenceAge: '24h',
    });
  });

  it('reports invalid YAML with file, line and column', () => {
    const error = errorOf(() => parsePolicy('version: 1\nroutes: [\n', 'p.yaml'));
    expect(error.code).toBe('CUTOVER_CONFIG_INVALID');
    expect(error.message).toMatch(/^p\.yaml:\d+:\d+: the policy is not valid YAML or JSON/);
  });

  it('refuses a policy whose YAML aliases expand without bound, fast and naming the file', () => {
    const levels = 'abcdefghi'.split('');
    const bomb = [
      `${levels[0]}: &${levels[0]} [lol,lol,lol,lol,lol,lol,lol,lol,lol]`,
      ...levels.slice(1).map((name, i) => `${name}: &${name} [${Array(9).fill(`*${levels[i]}`).join(',')}]`),
    ].join('\n');
    const started = performance.now();
    const error = errorOf(() => parsePolicy(`version: 1\n${bomb}\n`, 'bomb.yaml'));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(error.code).toBe('CUTOVER_CONFIG_INVALID');
    expect(error.message).toMatch(/^bomb\.yaml: the policy is refused: its YAML aliases expand it to more than/);
  });

  it('reports every schema problem with file:line and JSON path', () => {
    const text = POLICY_YAML.replace('currentWeight: 0', 'currentWeight: 150\n    colour: blue').replace(
      'methods: [GET]',
      'methods: [FETCH]',
    );
    const error = errorOf(() => parsePolicy(text, 'bad.yaml'));
    expect(isCutoverError(error)).toBe(true);
    expect(error.code).toBe('CUTOVER_CONFIG_INVALID');
    expect(error.message).toMatch(/bad\.yaml:\d+:\d+ \$\.routes\[0\]\.currentWeight: must be <= 100/);
    expect(error.message).toMatch(/\$\.routes\[0\]: unknown property "colour"/);
    expect(error.message).toMatch(/\$\.routes\[0\]\.match\.methods\[0\]: must be equal to one of the allowed values/);
    expect((error.details?.problems as unknown[]).length).toBe(3);
  });

  it('says so when the policy is empty', () => {
    expect(errorOf(() => parsePolicy('# nothing yet\n', 'empty.yaml')).message).toMatch(
      /^empty\.yaml: the policy is empty/,
    );
  });

  it('reports a missing required property at its parent', () => {
    const error = errorOf(() => parsePolicy('version: 1\nroutes: []\n', 'p.yaml'));
    expect(error.message).toMatch(/p\.yaml:1:1 \$: missing required property "candidate"/);
    expect(error.message).toMatch(/\$\.routes: must NOT have fewer than 1 items/);
  });

  it('refuses overlapping route patterns, naming both routes', () => {
    const text = POLICY_YAML.replace(
      'routes:',
      'routes:\n  - name: events\n    match: { methods: [GET, HEAD], path: "/api/tracking/*/events" }\n    currentWeight: 0',
    );
    const error = errorOf(() => parsePolicy(text, 'p.yaml'));
    expect(error.message).toMatch(
      /\$\.routes\[1\]\.match\.path: route "tracking" \(GET \/api\/tracking\/\*\*\) overlaps route "events" .* for GET/,
    );
  });

  it('accepts route patterns with {name} and :name segments, and checks their overlaps', () => {
    for (const path of ['/api/shipments/{id}', '/api/files/{name}.json', '/api/shipments/:id/events']) {
      const text = POLICY_YAML.replace(
        'routes:',
        `routes:\n  - name: other\n    match: { methods: [GET], path: "${path}" }\n    currentWeight: 0`,
      );
      expect(parsePolicy(text, 'p.yaml').routes.map((r) => r.path)).toContain(path);
    }
    const overlapping = POLICY_YAML.replace(
      'routes:',
      'routes:\n  - name: one\n    match: { methods: [GET], path: "/api/tracking/{id}" }\n    currentWeight: 0',
    );
    expect(errorOf(() => parsePolicy(overlapping, 'p.yaml')).message).toMatch(/overlaps route "one"/);
  });

  it('accepts the same pattern for different methods', () => {
    const text = POLICY_YAML.replace(
      'routes:',
      'routes:\n  - name: writes\n    match: { methods: [POST], path: /api/tracking/** }\n    currentWeight: 0',
    );
    expect(parsePolicy(text).routes.map((r) => r.name)).toEqual(['writes', 'tracking']);
  });

  it('refuses duplicate route names, weights off the rollout steps and misplaced "**"', () => {
    const text = `
version: 1
candidate: { service: s }
rolloutSteps: [5, 1, 100]
routes:
  - { name: a, match: { methods: [GET], path: "/a/x**" }, currentWeight: 7 }
  - { name: a, match: { methods: [GET], path: /b/** }, currentWeight: 5, requestedWeight: 1 }
`;
    const message = errorOf(() => parsePolicy(text, 'p.yaml')).message;
    expect(message).toMatch(/\$\.rolloutSteps: rollout steps must be in increasing order/);
    expect(message).toMatch(/\$\.routes\[0\]\.match\.path: path pattern "\*\*" must be a whole segment/);
    expect(message).toMatch(/\$\.routes\[0\]\.currentWeight: current weight 7 is neither 0 nor a rollout step/);
    expect(message).toMatch(/\$\.routes\[1\]\.name: route name "a" is already used by routes\[0\]/);
    expect(message).toMatch(/\$\.routes\[1\]\.requestedWeight: requested weight 1 is below the current weight 5/);
  });

  it('reports schema and semantic problems at once, checking the routes the schema accepted', () => {
    const text = `
version: 1
candidate: { service: s }
routes:
  - { name: a, match: { methods: [GET], path: /a/** }, currentWeight: 7 }
  - { name: b, match: { methods: [FETCH], path: /b/** }, currentWeight: 0 }
  - { name: c, match: { methods: [GET], path: /a/x }, currentWeight: 0 }
`;
    const error = errorOf(() => parsePolicy(text, 'p.yaml'));
    // schema: the unknown method of route b
    expect(error.message).toMatch(/\$\.routes\[1\]\.match\.methods\[0\]: must be equal to one of the allowed values/);
    // semantic, on the schema-valid routes a and c
    expect(error.message).toMatch(
      /p\.yaml:5:\d+ \$\.routes\[0\]\.currentWeight: current weight 7 is neither 0 nor a rollout step/,
    );
    expect(error.message).toMatch(/\$\.routes\[2\]\.match\.path: route "c" \(GET \/a\/x\) overlaps route "a"/);
    expect(error.message).toMatch(/invalid policy \(3 problems\)/);
    expect((error.details?.problems as unknown[]).length).toBe(3);
  });

  it('does not judge weights against rollout steps that failed the schema', () => {
    const text = POLICY_YAML.replace('defaults:', 'rolloutSteps: [1, "ten", 100]\ndefaults:').replace(
      'currentWeight: 0',
      'currentWeight: 10',
    );
    const error = errorOf(() => parsePolicy(text, 'p.yaml'));
    expect(error.message).toMatch(/\$\.rolloutSteps\[1\]: must be integer/);
    expect(error.message).not.toMatch(/currentWeight/);
  });

  it('requires the last rollout step to be 100', () => {
    expect(
      errorOf(() => parsePolicy(POLICY_YAML.replace('defaults:', 'rolloutSteps: [1, 10]\ndefaults:'))).message,
    ).toMatch(/the last rollout step must be 100/);
  });
});

describe('selectRoutes / checkRoutesKnown', () => {
  it('refuses an unknown route name, listing the known ones', () => {
    const policy = parsePolicy(POLICY_YAML, 'p.yaml');
    expect(selectRoutes(policy, ['tracking']).routes).toHaveLength(1);
    expect(() => selectRoutes(policy, ['trackin'])).toThrow(
      /p\.yaml: unknown route "trackin"; the policy defines "tracking"/,
    );
  });

  it("lists each operation under each base path of its servers (the operation's, its path item's, the document's)", () => {
    const paths = (document: Record<string, unknown>) => operationsOf(document).map((op) => `${op.method} ${op.path}`);
    const tracking = { '/api/tracking/{id}': { get: { responses: {} } } };
    expect(paths({ ...OPENAPI, paths: tracking, servers: [{ url: 'https://a.example/v1' }, { url: '/v1/' }] })).toEqual(
      ['GET /v1/api/tracking/{id}'],
    );
    // Servers that disagree: the operation is served under each of them, not under the bare template.
    expect(paths({ ...OPENAPI, paths: tracking, servers: [{ url: 'https://a.example/v1' }, { url: '/v2' }] })).toEqual([
      'GET /v1/api/tracking/{id}',
      'GET /v2/api/tracking/{id}',
    ]);
    const variables = {
      url: 'https://{host}/{version}',
      variables: { host: { default: 'a' }, version: { default: 'v3', enum: ['v3', 'v4'] } },
    };
    expect(paths({ ...OPENAPI, paths: tracking, servers: [variables] })).toEqual(['GET /v3/api/tracking/{id}']);
    const own = {
      '/admin/{id}': {
        servers: [{ url: '/internal' }],
        get: { responses: {} },
        delete: { servers: [{ url: '/ops' }], responses: {} },
      },
    };
    expect(paths({ ...OPENAPI, paths: own, servers: [{ url: '/v1' }] })).toEqual([
      'GET /internal/admin/{id}',
      'DELETE /ops/admin/{id}',
    ]);
  });

  it('knows a route under any base path the document serves its operations under', () => {
    const policy = parsePolicy(POLICY_YAML.replace('/api/tracking/**', '/v2/api/tracking/**'), 'p.yaml');
    const operations = operationsOf({ ...OPENAPI, servers: [{ url: '/v1' }, { url: '/v2' }] });
    expect(() => checkRoutesKnown(policy, operations, 'api.yaml')).not.toThrow();
    expect(operationsUnder(policy.routes[0]!, operations).map((op) => op.path)).toEqual([
      '/v2/api/tracking/{id}',
      '/v2/api/tracking/{id}/events',
      '/v2/api/tracking/{id}/eta',
    ]);
  });

  it('refuses a route that covers no documented operation', () => {
    const policy = parsePolicy(POLICY_YAML.replace('/api/tracking/**', '/api/trackng/**'), 'p.yaml');
    expect(() => checkRoutesKnown(policy, OPERATIONS, 'api.yaml')).toThrow(
      /unknown route: "tracking" \(GET \/api\/trackng\/\*\*\) covers no operation documented in api\.yaml/,
    );
    expect(() => checkRoutesKnown(parsePolicy(POLICY_YAML), OPERATIONS, 'api.yaml')).not.toThrow();
  });
});

describe('loadPolicy and the published schema', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cutover-policy-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads the example system policy, contracts/cutover.yaml', async () => {
    const policy = await loadPolicy(join(repoRoot, 'contracts/cutover.yaml'));
    expect(policy.candidate.service).toBe('tracking-service');
    expect(policy.routes).toEqual([
      expect.objectContaining({ name: 'tracking', methods: ['GET'], path: '/api/tracking/**', currentWeight: 0 }),
    ]);
  });

  it('covers exactly the tracking operations of contracts/openapi/logistics.yaml', async () => {
    const policy = await loadPolicy(join(repoRoot, 'contracts/cutover.yaml'));
    const operations = await loadDocumentedOperations(join(repoRoot, 'contracts/openapi/logistics.yaml'));
    expect(() => checkRoutesKnown(policy, operations, 'logistics.yaml')).not.toThrow();
    expect(operationsUnder(policy.routes[0]!, operations).map((op) => `${op.method} ${op.path}`)).toEqual([
      'GET /api/tracking/{shipmentId}',
      'GET /api/tracking/{shipmentId}/events',
      'GET /api/tracking/{shipmentId}/eta',
    ]);
  });

  it('loads OpenAPI documents with $refs confined to their folder unless openApiLoader widens it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cutover-gate-openapi-'));
    try {
      await mkdir(join(dir, 'api'));
      await writeFile(join(dir, 'paths.yaml'), "get:\n  responses: { '200': { description: ok } }\n");
      const file = join(dir, 'api', 'openapi.yaml');
      await writeFile(
        file,
        "openapi: 3.0.3\ninfo: { title: x, version: '1' }\npaths:\n  /things:\n    $ref: '../paths.yaml'\n",
      );
      await expect(loadDocumentedOperations(file)).rejects.toMatchObject({
        code: 'CUTOVER_OPENAPI_INVALID',
        message: expect.stringContaining(`${file}: the $ref at #/paths/~1things to ../paths.yaml is refused`),
      });
      const operations = await loadDocumentedOperations(file, openApiLoader({ refRoot: dir }));
      expect(operations).toEqual([{ method: 'GET', path: '/things', template: '/things' }]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('references the published schema from contracts/cutover.yaml, and the package exports it', async () => {
    const text = await readFile(join(repoRoot, 'contracts/cutover.yaml'), 'utf8');
    const match = /# yaml-language-server: \$schema=(\S+)/.exec(text);
    expect(match).not.toBeNull();
    const referenced = join(repoRoot, 'contracts', match![1]!);
    expect(referenced).toBe(fileURLToPath(POLICY_SCHEMA_URL));
    const pkg = JSON.parse(await readFile(join(repoRoot, 'packages/gate/package.json'), 'utf8')) as {
      exports: Record<string, unknown>;
      files: string[];
    };
    expect(pkg.exports['./schema/cutover-policy.schema.json']).toBe('./schema/cutover-policy.schema.json');
    expect(pkg.files).toContain('schema');
    const schema = JSON.parse(await readFile(referenced, 'utf8')) as { $schema: string; title: string };
    expect(schema.$schema).toMatch(/json-schema\.org/);
  });

  it('names the file when it cannot be read', async () => {
    await expect(loadPolicy(join(dir, 'missing.yaml'))).rejects.toThrow(/missing\.yaml: cannot read the policy file/);
  });

  it('names the file in validation errors', async () => {
    const file = join(dir, 'bad.yaml');
    await writeFile(file, 'version: 2\n');
    await expect(loadPolicy(file)).rejects.toThrow(
      new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:1:10 \\$\\.version: must be 1`),
    );
  });
});
