import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESULTS_FORMAT, summarizeResults, type InteractionResult, type VerificationReport } from '@cutover/core';
import { runCli } from '../main.js';

let dir: string;
const recent = new Date(Date.now() - 60_000).toISOString();

function result(consumer: string, path: string, overrides: Partial<InteractionResult> = {}): InteractionResult {
  return {
    consumer,
    provider: 'logistics',
    description: `GET ${path}`,
    providerStates: [],
    pending: false,
    route: { method: 'GET', path },
    targets: {
      monolith: { outcome: 'pass', status: 200, mismatches: [], timingMs: 3 },
      candidate: { outcome: 'pass', status: 200, mismatches: [], timingMs: 3 },
    },
    parity: { status: 'identical', differences: [], noise: [] },
    schema: { request: [], monolith: [], candidate: [], baseline: [], regressions: [] },
    ...overrides,
  };
}

function verification(results: InteractionResult[]): VerificationReport {
  return {
    format: RESULTS_FORMAT,
    tool: { name: 'cutover', version: '0.1.0' },
    startedAt: recent,
    finishedAt: recent,
    provider: { name: 'logistics', version: '2.0.0' },
    targets: {},
    pacts: [],
    results,
    summary: summarizeResults(results),
  };
}

const POLICY = `version: 1
provider: logistics
candidate: { service: tracking-service }
routes:
  - name: tracking
    match: { methods: [GET], path: /api/tracking/** }
    currentWeight: 10
    rules: { requiredConsumers: [web-app, mobile-app] }
`;

const OPENAPI = `openapi: 3.0.3
info: { title: t, version: '1' }
paths:
  /api/tracking/{id}: { get: { responses: { '200': { description: ok } } } }
`;

async function cli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await runCli(['gate', ...args], { stdout, stderr, cwd: dir, env });
  return { code, stdout: out, stderr: err };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cutover-cli-gate-'));
  await writeFile(join(dir, 'cutover.yaml'), POLICY);
  await writeFile(join(dir, 'api.yaml'), OPENAPI);
  await writeFile(
    join(dir, 'green.json'),
    JSON.stringify(verification([result('web-app', '/api/tracking/A1'), result('mobile-app', '/api/tracking/A1')])),
  );
  await writeFile(
    join(dir, 'red.json'),
    JSON.stringify(
      verification([
        result('web-app', '/api/tracking/A1'),
        result('mobile-app', '/api/tracking/A1', {
          parity: {
            status: 'differs',
            differences: [
              { kind: 'missing', path: '$.eta', monolith: '2026-11-23', candidate: undefined, message: 'missing' },
            ],
            noise: [],
          },
        }),
      ]),
    ),
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('cutover gate', () => {
  it('exits 0 when allowed and writes reports and the routing artifact for the next step', async () => {
    const { code, stdout } = await cli([
      '--policy',
      'cutover.yaml',
      '--results',
      'green.json',
      '--openapi',
      'api.yaml',
      '--candidate-version',
      '2.0.0',
      '--json',
      'decision.json',
      '--markdown',
      'gate.md',
      '--junit',
      'gate.xml',
      '--routing-out',
      'routing',
      '--gateway',
      'nginx',
      '--gateway',
      'json',
    ]);
    expect(stdout).toContain('cutover gate: ALLOWED');
    expect(code).toBe(0);
    const decision = JSON.parse(await readFile(join(dir, 'decision.json'), 'utf8')) as {
      outcome: string;
      routes: { nextWeight: number }[];
    };
    expect(decision.outcome).toBe('allowed');
    expect(decision.routes[0]!.nextWeight).toBe(50);
    expect(await readFile(join(dir, 'gate.md'), 'utf8')).toMatch(/cutover gate: allowed/);
    expect(await readFile(join(dir, 'gate.xml'), 'utf8')).toMatch(/failures="0"/);
    expect(await readFile(join(dir, 'routing/cutover-routing.http.conf'), 'utf8')).toContain('50% candidate;');
    const weights = JSON.parse(await readFile(join(dir, 'routing/cutover-weights.json'), 'utf8')) as {
      routes: { weights: unknown }[];
    };
    expect(weights.routes[0]!.weights).toEqual({ candidate: 50, monolith: 50 });
    expect(existsSync(join(dir, 'routing/cutover-envoy-routes.yaml'))).toBe(false);
  });

  it('honours --force-weight', async () => {
    const { code } = await cli([
      '--policy',
      'cutover.yaml',
      '--results',
      'green.json',
      '--force-weight',
      '100',
      '--json',
      'forced.json',
    ]);
    expect(code).toBe(0);
    const decision = JSON.parse(await readFile(join(dir, 'forced.json'), 'utf8')) as {
      routes: { nextWeight: number; forced: boolean }[];
    };
    expect(decision.routes[0]).toMatchObject({ nextWeight: 100, forced: true });
  });

  it.runIf(process.platform === 'linux')(
    'exits 2 on a report path under /proc, without writing routing artifacts or hanging',
    async () => {
      const { code, stderr } = await cli([
        '--policy',
        'cutover.yaml',
        '--results',
        'green.json',
        '--routing-out',
        'routing-proc',
        '--markdown',
        '/proc/cutover-report/gate.md',
      ]);
      expect(code).toBe(2);
      expect(stderr).toContain('[CUTOVER_OUTPUT_FAILED] /proc/cutover-report/gate.md: cannot write');
      expect(stderr).toContain("kernel's proc filesystem");
      // Artifacts come after the reports: the failed report stopped the run before the folder was made.
      expect(existsSync(join(dir, 'routing-proc'))).toBe(false);
    },
    // An endless mkdir fails the test by this timeout.
    15_000,
  );

  it('exits 1 when blocked, citing the difference, and removes earlier routing artifacts', async () => {
    await cli([
      '--policy',
      'cutover.yaml',
      '--results',
      'green.json',
      '--routing-out',
      'routing2',
      '--gateway',
      'envoy',
    ]);
    expect(existsSync(join(dir, 'routing2/cutover-envoy-routes.yaml'))).toBe(true);
    const { code, stdout } = await cli([
      '--policy',
      'cutover.yaml',
      '--results',
      'red.json',
      '--routing-out',
      'routing2',
      '--gateway',
      'envoy',
    ]);
    expect(code).toBe(1);
    expect(stdout).toContain('cutover gate: BLOCKED');
    expect(stdout).toContain(
      '[parity-differs] mobile-app › "GET /api/tracking/A1": the candidate differs from the monolith at $.eta (missing): monolith "2026-11-23", candidate (absent)',
    );
    expect(stdout).toContain('no routing artifact written');
    expect(existsSync(join(dir, 'routing2/cutover-envoy-routes.yaml'))).toBe(false);
  });

  describe('an error run (exit 2) removes the routing artifacts of an earlier allowed run', () => {
    const allowThen = async (folder: string, args: string[]) => {
      const first = await cli(['--policy', 'cutover.yaml', '--results', 'green.json', '--routing-out', folder]);
      expect(first.code).toBe(0);
      expect(existsSync(join(dir, folder, 'cutover-weights.json'))).toBe(true);
      return cli([...args, '--routing-out', folder]);
    };

    it('on self-contradicting evidence', async () => {
      await writeFile(
        join(dir, 'contradicting.json'),
        JSON.stringify(
          verification([
            result('web-app', '/api/tracking/A1'),
            result('mobile-app', '/api/tracking/A1', {
              parity: {
                status: 'identical',
                differences: [{ kind: 'value', path: '$.status', monolith: 'A', candidate: 'B', message: 'x' }],
                noise: [],
              },
            }),
          ]),
        ),
      );
      const { code, stderr } = await allowThen('routing-err1', [
        '--policy',
        'cutover.yaml',
        '--results',
        'contradicting.json',
      ]);
      expect(code).toBe(2);
      expect(stderr).toMatch(
        /contradicting\.json: \$\.results\[1\]\.parity\.differences is not empty but \.parity\.status is "identical"/,
      );
      expect(stderr).toMatch(
        /no routing artifact in .*routing-err1: the gate failed \(removed cutover-weights\.json\)/,
      );
      expect(existsSync(join(dir, 'routing-err1', 'cutover-weights.json'))).toBe(false);
    });

    it('on a broken policy', async () => {
      await writeFile(join(dir, 'broken2.yaml'), 'version: 1\nroutes: nope\n');
      const { code } = await allowThen('routing-err2', ['--policy', 'broken2.yaml', '--results', 'green.json']);
      expect(code).toBe(2);
      expect(existsSync(join(dir, 'routing-err2', 'cutover-weights.json'))).toBe(false);
    });

    it('on a missing results file', async () => {
      const { code } = await allowThen('routing-err3', ['--policy', 'cutover.yaml', '--results', 'absent.json']);
      expect(code).toBe(2);
      expect(existsSync(join(dir, 'routing-err3', 'cutover-weights.json'))).toBe(false);
    });

    it('on an invalid option value', async () => {
      const { code } = await allowThen('routing-err4', [
        '--policy',
        'cutover.yaml',
        '--results',
        'green.json',
        '--gateway',
        'haproxy',
      ]);
      expect(code).toBe(2);
      expect(existsSync(join(dir, 'routing-err4', 'cutover-weights.json'))).toBe(false);
    });
    it('on a value an option refuses as it is read, or an option given twice', async () => {
      const force = await allowThen('routing-err5', [
        '--policy',
        'cutover.yaml',
        '--results',
        'green.json',
        '--force-weight',
        '120',
      ]);
      expect(force.code).toBe(2);
      expect(force.stderr).toContain('[CUTOVER_USAGE] --force-weight must be an integer from 0 to 100 (got 120)');
      expect(existsSync(join(dir, 'routing-err5', 'cutover-weights.json'))).toBe(false);

      const version = await allowThen('routing-err6', [
        '--policy',
        'cutover.yaml',
        '--results',
        'green.json',
        '--candidate-version',
        '1.0\nadd_header X 1;',
      ]);
      expect(version.code).toBe(2);
      expect(version.stderr).toContain('[CUTOVER_USAGE] --candidate-version must start with a letter or digit');
      expect(existsSync(join(dir, 'routing-err6', 'cutover-weights.json'))).toBe(false);

      const twice = await allowThen('routing-err7', [
        '--policy',
        'cutover.yaml',
        '--results',
        'green.json',
        '--routing-out',
        'elsewhere',
      ]);
      expect(twice.code).toBe(2);
      expect(twice.stderr).toContain('[CUTOVER_USAGE] --routing-out was given 2 times');
      expect(existsSync(join(dir, 'routing-err7', 'cutover-weights.json'))).toBe(false);
    });
  });

  it('exits 1 when the current pacts are not what the evidence verified (--pact)', async () => {
    await writeFile(
      join(dir, 'partner-logistics.json'),
      JSON.stringify({
        consumer: { name: 'partner' },
        provider: { name: 'logistics' },
        interactions: [
          { description: 'x', request: { method: 'GET', path: '/api/tracking/Z' }, response: { status: 200 } },
        ],
      }),
    );
    const { code, stdout } = await cli([
      '--policy',
      'cutover.yaml',
      '--results',
      'green.json',
      '--pact',
      'partner-logistics.json',
    ]);
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /\[consumer-missing\] partner: its pact .*partner-logistics\.json has 1 interaction\(s\) under GET \/api\/tracking\/\*\*/,
    );
  });

  it('exits 1 for evidence of another candidate version', async () => {
    const { code, stdout } = await cli([
      '--policy',
      'cutover.yaml',
      '--results',
      'green.json',
      '--candidate-version',
      '2.0.1',
    ]);
    expect(code).toBe(1);
    expect(stdout).toContain('[wrong-candidate-version]');
  });

  it('exits 2 on a broken policy, explaining where', async () => {
    await writeFile(join(dir, 'broken.yaml'), POLICY.replace('currentWeight: 10', 'currentWeight: 15'));
    const { code, stderr } = await cli(['--policy', 'broken.yaml', '--results', 'green.json']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/\[CUTOVER_CONFIG_INVALID\] .*broken\.yaml: invalid policy/);
    expect(stderr).toMatch(
      /broken\.yaml:\d+:\d+ \$\.routes\[0\]\.currentWeight: current weight 15 is neither 0 nor a rollout step/,
    );
  });

  it('exits 2 on an unknown route', async () => {
    const { code, stderr } = await cli(['--policy', 'cutover.yaml', '--results', 'green.json', '--route', 'auth']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown route "auth"/);
  });

  it('exits 2 on a route the OpenAPI document does not know', async () => {
    await writeFile(join(dir, 'typo.yaml'), POLICY.replace('/api/tracking/**', '/api/trackng/**'));
    const { code, stderr } = await cli(['--policy', 'typo.yaml', '--results', 'green.json', '--openapi', 'api.yaml']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/covers no operation documented in api\.yaml/);
  });

  it('exits 2 on results of another format', async () => {
    await writeFile(
      join(dir, 'pact.json'),
      JSON.stringify({ consumer: { name: 'x' }, provider: { name: 'y' }, interactions: [] }),
    );
    const { code, stderr } = await cli(['--policy', 'cutover.yaml', '--results', 'pact.json']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/\[CUTOVER_EVIDENCE_INVALID\] .*pact\.json: not a cutover verification report/);
  });

  it('exits 2 without evidence, and on a bad forced weight', async () => {
    expect((await cli(['--policy', 'cutover.yaml'])).stderr).toMatch(/--results FILE .* or --broker-url URL/);
    expect((await cli(['--policy', 'cutover.yaml', '--broker-url', 'http://127.0.0.1:9'])).stderr).toMatch(
      /--candidate-version is required/,
    );
    const bad = await cli(['--policy', 'cutover.yaml', '--results', 'green.json', '--force-weight', '120']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--force-weight must be an integer from 0 to 100/);
  });

  describe('with a broker', () => {
    let server: Server;
    let base: string;
    const posts: string[] = [];
    const authorizations: (string | undefined)[] = [];
    beforeAll(async () => {
      // A stock Pact Broker without the cutover decision endpoint, and without pacts for this provider.
      server = createServer((req, res) => {
        authorizations.push(req.headers.authorization);
        if (req.method === 'POST') posts.push(req.url ?? '');
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"error":"not found"}');
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await new Promise<void>((r) => server.close(() => r()));
    });

    it('exits 2 and blocks when the broker cannot give evidence, and warns that the decision was not recorded', async () => {
      const { code, stdout, stderr } = await cli(
        ['--policy', 'cutover.yaml', '--candidate-version', '2.0.0', '--json', 'broker.json'],
        {
          PACT_BROKER_BASE_URL: base,
        },
      );
      expect(code).toBe(2);
      expect(stdout).toContain('[evidence-unavailable] the broker has no pacts for provider "logistics"');
      // Printed once, in the report, not again on stderr.
      expect(stdout.match(/the decision was not recorded/g)).toHaveLength(1);
      expect(stdout).toMatch(/warning: the decision was not recorded: .*answered 404/);
      expect(stderr).not.toMatch(/not recorded/);
      expect(posts).toEqual(['/cutover/decisions']);
      const decision = JSON.parse(await readFile(join(dir, 'broker.json'), 'utf8')) as {
        outcome: string;
        warnings: string[];
      };
      expect(decision.outcome).toBe('blocked');
      expect(decision.warnings.join()).toMatch(/not recorded/);
    });

    it('takes a user from the command line with its password from PACT_BROKER_PASSWORD over PACT_BROKER_TOKEN', async () => {
      authorizations.length = 0;
      const { code } = await cli(
        ['--policy', 'cutover.yaml', '--candidate-version', '2.0.0', '--broker-url', base, '--broker-username', 'ci'],
        { PACT_BROKER_TOKEN: 'env-token', PACT_BROKER_PASSWORD: 'env-password' },
      );
      expect(code).toBe(2);
      expect(new Set(authorizations)).toEqual(new Set([`Basic ${Buffer.from('ci:env-password').toString('base64')}`]));
    });

    it('exits 2 on a token and a user together on the command line, before contacting the broker', async () => {
      authorizations.length = 0;
      const { code, stderr } = await cli([
        '--policy',
        'cutover.yaml',
        '--candidate-version',
        '2.0.0',
        '--broker-url',
        base,
        '--broker-token',
        't0ken',
        '--broker-username',
        'ci',
      ]);
      expect(code).toBe(2);
      expect(stderr).toContain('give a bearer token or a username and password, not both');
      expect(authorizations).toEqual([]);
    });

    it('uses credentials in the broker URL as basic auth and never prints them', async () => {
      authorizations.length = 0;
      const { stdout, stderr } = await cli(
        ['--policy', 'cutover.yaml', '--candidate-version', '2.0.0', '--json', 'broker.json'],
        { PACT_BROKER_BASE_URL: base.replace('http://', 'http://ci:hunter22@') },
      );
      expect(authorizations[0]).toBe(`Basic ${Buffer.from('ci:hunter22').toString('base64')}`);
      expect(stdout + stderr + (await readFile(join(dir, 'broker.json'), 'utf8'))).not.toContain('hunter22');
    });
  });
});
