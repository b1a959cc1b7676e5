import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, v3Pact, writePacts } from '@cutover/verifier/testing';
import type { FixtureRequest, Running } from '@cutover/verifier/testing';
import { runCli } from '../main.js';

let monolith: Running;
let same: Running;
let different: Running;
let pactDir: string;
let out: string;

beforeAll(async () => {
  monolith = await startServer({ 'GET /shipments/1': () => ({ body: { id: 1, status: 'in-transit' } }) });
  same = await startServer({ 'GET /shipments/1': () => ({ body: { id: 1, status: 'in-transit' } }) });
  different = await startServer({ 'GET /shipments/1': () => ({ body: { id: 1, status: 'in-transit', extra: true } }) });
  pactDir = (
    await writePacts([
      v3Pact('web-app', 'logistics', [
        {
          description: 'get shipment 1',
          request: { method: 'GET', path: '/shipments/1' },
          response: { status: 200, body: { id: 1 } },
        },
      ]),
    ])
  ).dir;
  out = await mkdtemp(join(tmpdir(), 'cutover-cli-verify-'));
});

afterAll(async () => {
  await Promise.all([monolith.close(), same.close(), different.close()]);
});

async function cli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let outText = '';
  let errText = '';
  stdout.on('data', (c: Buffer) => (outText += c.toString()));
  stderr.on('data', (c: Buffer) => (errText += c.toString()));
  const code = await runCli(args, { stdout, stderr, env: { CI: '1', ...env }, cwd: out });
  return { code, stdout: outText, stderr: errText };
}

describe('cutover verify', () => {
  it('exits 0 when both targets pass and match, writing JSON, JUnit and Markdown reports', async () => {
    const result = await cli([
      'verify',
      '--pact',
      pactDir,
      '--monolith',
      monolith.url,
      '--candidate',
      same.url,
      '--json',
      'reports/verify.json',
      '--junit',
      'reports/verify.xml',
      '--markdown',
      'reports/verify.md',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('1 interaction: 1 passed');
    const json = JSON.parse(await readFile(join(out, 'reports/verify.json'), 'utf8'));
    expect(json).toMatchObject({ format: 'cutover.verification/v1', summary: { passed: 1 } });
    expect(await readFile(join(out, 'reports/verify.xml'), 'utf8')).toContain('<testsuites');
    expect(await readFile(join(out, 'reports/verify.md'), 'utf8')).toContain('## ✅');
  });

  it('re-sends a POST to the monolith for noise samples only with --sample-unsafe-methods', async () => {
    let posts = 0;
    const counting = await startServer({ 'POST /shipments': () => ({ status: 201, body: { id: ++posts } }) });
    const other = await startServer({ 'POST /shipments': () => ({ status: 201, body: { id: 'x' } }) });
    const dir = (
      await writePacts([
        v3Pact('web-app', 'logistics', [
          { description: 'create', request: { method: 'POST', path: '/shipments' }, response: { status: 201 } },
        ]),
      ])
    ).dir;
    try {
      const args = ['verify', '--pact', dir, '--monolith', counting.url, '--candidate', other.url];
      const strict = await cli(args);
      expect(strict.code).toBe(1);
      expect(posts).toBe(1);
      expect(strict.stdout).toContain('parity: no noise sample: POST is not a safe method');
      const sampled = await cli([...args, '--sample-unsafe-methods']);
      expect(sampled.code).toBe(1);
      expect(posts).toBe(3);
      expect(sampled.stdout).not.toContain('no noise sample');
    } finally {
      await Promise.all([counting.close(), other.close()]);
    }
  });

  it('exits 1 on a parity difference and prints it', async () => {
    const result = await cli(['verify', '--pact', pactDir, '--monolith', monolith.url, '--candidate', different.url]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('parity: extra at $.extra');
  });

  it('exits 1 when a target is down (an error is never a pass)', async () => {
    const result = await cli(['verify', '--pact', pactDir, '--monolith', 'http://127.0.0.1:9', '--retries', '0']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('ERROR');
  });

  it('exits 2 on usage and configuration errors, saying what was wrong', async () => {
    const noTarget = await cli(['verify', '--pact', pactDir]);
    expect(noTarget.code).toBe(2);
    expect(noTarget.stderr).toMatch(/CUTOVER_USAGE.*target/);

    const badHeader = await cli(['verify', '--pact', pactDir, '--monolith', monolith.url, '--header', 'no-colon']);
    expect(badHeader.code).toBe(2);
    expect(badHeader.stderr).toContain('expected "Name: value"');

    await writeFile(join(out, 'noise.yaml'), 'rules:\n  - { path: "$.a", mode: sometimes }\n');
    const badNoise = await cli(['verify', '--pact', pactDir, '--monolith', monolith.url, '--noise', 'noise.yaml']);
    expect(badNoise.code).toBe(2);
    expect(badNoise.stderr).toMatch(/CUTOVER_CONFIG_INVALID.*noise\.yaml at \$\.rules\[0\]\.mode/);

    const publish = await cli(['verify', '--pact', pactDir, '--monolith', monolith.url, '--publish']);
    expect(publish.code).toBe(2);
    expect(publish.stderr).toContain('--provider-version and --branch');

    const badRewrite = await cli(['verify', '--pact', pactDir, '--candidate', same.url, '--rewrite-path', 'nonsense']);
    expect(badRewrite.code).toBe(2);
    expect(badRewrite.stderr).toContain('--rewrite-path "nonsense": expected FROM=TO');
    const rewriteNoCandidate = await cli([
      'verify',
      '--pact',
      pactDir,
      '--monolith',
      monolith.url,
      '--rewrite-path',
      '/a=/b',
    ]);
    expect(rewriteNoCandidate.code).toBe(2);
    expect(rewriteNoCandidate.stderr).toContain("--rewrite-path rewrites the candidate's paths: give --candidate too");
    const noCandidateBadRule = await cli([
      'verify',
      '--pact',
      pactDir,
      '--monolith',
      monolith.url,
      '--rewrite-path',
      'nonsense',
    ]);
    expect(noCandidateBadRule.code).toBe(2);
    expect(noCandidateBadRule.stderr).toContain('expected FROM=TO');

    const twice = await cli(['verify', '--pact', pactDir, '--monolith', monolith.url, '--monolith', same.url]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain(`--monolith was given 2 times ("${monolith.url}", "${same.url}"); give it once`);

    const selector = await cli([
      'verify',
      '--broker-url',
      'http://127.0.0.1:1',
      '--provider',
      'logistics',
      '--monolith',
      monolith.url,
      '--consumer-version-selector',
      '{"foo":1}',
    ]);
    expect(selector.code).toBe(2);
    expect(selector.stderr).toContain(
      '[CUTOVER_USAGE] Consumer version selector #1 has an unknown key "foo"; known keys: mainBranch',
    );

    const missingPact = await cli(['verify', '--pact', 'nowhere/*.json', '--monolith', monolith.url]);
    expect(missingPact.code).toBe(2);
    expect(missingPact.stderr).toContain('matches no file');
  });

  it('exits 1 when the filters leave nothing to verify, naming them, and 0 with --allow-empty', async () => {
    const args = ['verify', '--pact', pactDir, '--monolith', monolith.url, '--filter-consumer', 'nobody'];
    const empty = await cli(args);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain(
      'cutover: [CUTOVER_NOTHING_VERIFIED] no interactions were verified: 1 pact(s) with 1 interaction(s), 0 matched the filters (consumer "nobody")',
    );
    const allowed = await cli([...args, '--allow-empty']);
    expect(allowed.code).toBe(0);
  });

  it('sends per-target headers and rewrites candidate paths from the command line', async () => {
    const seen: string[] = [];
    const candidate = await startServer({
      'GET /v2/shipments/1': (req) => (
        seen.push(String(req.headers.authorization)),
        { body: { id: 1, status: 'in-transit' } }
      ),
    });
    try {
      const result = await cli([
        'verify',
        '--pact',
        pactDir,
        '--monolith',
        monolith.url,
        '--candidate',
        candidate.url,
        '--candidate-header',
        'Authorization: Bearer x',
        '--rewrite-path',
        '/shipments=/v2/shipments',
        '--noise-samples',
        '1',
      ]);
      expect(result.code).toBe(0);
      expect(seen).toEqual(['Bearer x']);
    } finally {
      await candidate.close();
    }
  });

  describe('with a broker', () => {
    const pactPath = '/pacts/provider/logistics/consumer/web-app/pact-version/p1';
    let broker: Running;
    const seen: { method: string; path: string; authorization?: string; json?: unknown }[] = [];
    beforeAll(async () => {
      const record = (req: FixtureRequest) =>
        seen.push({ method: req.method, path: req.path, authorization: req.headers.authorization, json: req.json });
      broker = await startServer({
        'GET /': (req) => (record(req), { body: {} }),
        'POST /pacts/provider/logistics/for-verification': (req) => (
          record(req),
          {
            body: {
              _embedded: {
                pacts: [
                  {
                    verificationProperties: {
                      notices: [
                        {
                          when: 'before_verification',
                          text: 'The pact is being verified because it is from the main branch',
                        },
                        {
                          when: 'after_verification:success_true_published_true',
                          text: 'This pact is no longer pending',
                        },
                      ],
                    },
                    _links: { self: { href: pactPath } },
                  },
                ],
              },
            },
          }
        ),
        [`GET ${pactPath}`]: (req) => (
          record(req),
          {
            body: {
              ...v3Pact('web-app', 'logistics', [
                {
                  description: 'get shipment 1',
                  request: { method: 'GET', path: '/shipments/1' },
                  response: { status: 200, body: { id: 1 } },
                },
              ]),
              _links: { 'pb:publish-verification-results': { href: `${pactPath}/verification-results` } },
            },
          }
        ),
        'PUT /pacticipants/logistics/branches/main/versions/1.0.0': (req) => (record(req), { body: {} }),
        [`POST ${pactPath}/verification-results`]: (req) => (record(req), { status: 201, body: {} }),
        'GET /private': (req) => (record(req), { status: 401, body: { error: 'unauthorized' } }),
      });
    });
    afterAll(() => broker.close());

    it('reads PACT_BROKER_BASE_URL and PACT_BROKER_TOKEN: pacts come from the broker (its notices printed) and results go back there', async () => {
      seen.length = 0;
      const result = await cli(
        [
          'verify',
          '--provider',
          'logistics',
          '--monolith',
          monolith.url,
          '--publish',
          '--provider-version',
          '1.0.0',
          '--branch',
          'main',
        ],
        { PACT_BROKER_BASE_URL: broker.url, PACT_BROKER_TOKEN: 'env-token' },
      );
      // The broker's notices before verification are printed, as stock verifiers do; later ones are not.
      expect(result.stderr).toBe('broker: The pact is being verified because it is from the main branch\n');
      expect(result.code).toBe(0);
      expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual([
        'GET /',
        'POST /pacts/provider/logistics/for-verification',
        `GET ${pactPath}`,
        `GET ${pactPath}`,
        'PUT /pacticipants/logistics/branches/main/versions/1.0.0',
        `POST ${pactPath}/verification-results`,
      ]);
      expect(new Set(seen.map((r) => r.authorization))).toEqual(new Set(['Bearer env-token']));
    });

    it('asks the broker for WIP pacts since a date for the provider branch, and refuses a bad date or a missing branch', async () => {
      seen.length = 0;
      const args = ['verify', '--broker-url', broker.url, '--provider', 'logistics', '--monolith', monolith.url];
      const wip = await cli([...args, '--branch', 'main', '--include-wip-pacts-since', '2026-01-01']);
      expect(wip.code).toBe(0);
      expect(seen.find((r) => r.method === 'POST')!.json).toEqual({
        consumerVersionSelectors: [{ mainBranch: true }, { deployedOrReleased: true }],
        includePendingStatus: true,
        providerVersionBranch: 'main',
        includeWipPactsSince: '2026-01-01',
      });
      const badDate = await cli([...args, '--branch', 'main', '--include-wip-pacts-since', 'last week']);
      expect(badDate.code).toBe(2);
      expect(badDate.stderr).toContain(
        '--include-wip-pacts-since "last week": expected a date, YYYY-MM-DD or ISO 8601',
      );
      const noBranch = await cli([...args, '--include-wip-pacts-since', '2026-01-01']);
      expect(noBranch.code).toBe(2);
      expect(noBranch.stderr).toContain('--include-wip-pacts-since needs --branch');
    });

    it('never prints credentials given in the broker URL', async () => {
      const result = await cli([
        'verify',
        '--broker-url',
        `${broker.url.replace('http://', 'http://ci:hunter22@')}/private`,
        '--provider',
        'logistics',
        '--monolith',
        monolith.url,
      ]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(
        `[CUTOVER_BROKER_FAILED] Broker GET ${broker.url}/private: the broker answered HTTP 401`,
      );
      expect(result.stderr).not.toContain('hunter22');
    });
  });
});
