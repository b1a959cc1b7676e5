/**
 * The gate on partial, mis-scoped or contradictory evidence, driven through `cutover verify` and
 * `cutover gate` as a user runs them: real verification runs against test servers, then the gate.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summarizeResults, type VerificationReport } from '@cutover/core';
import { startServer, v3Pact, writePacts } from '@cutover/verifier/testing';
import type { Running } from '@cutover/verifier/testing';
import { runCli } from '../main.js';

let monolith: Running;
let candidate: Running;
let dir: string;
/** web-app's pact: "item 1" (the candidate answers it right) and "item 2" (it does not). */
let pactFile: string;
/** A pact with "item 1" only, which the candidate passes. */
let greenPactFile: string;

const POLICY = (match: string, rules = '') => `version: 1
provider: logistics
candidate: { service: items-service }
routes:
  - name: items
    match: ${match}
    currentWeight: 0
    rules: { schema: { required: false }${rules} }
`;

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await runCli(args, { stdout, stderr, cwd: dir, env: { CI: '1' } });
  return { code, stdout: out, stderr: err };
}

async function verify(pact: string, json: string, ...extra: string[]): Promise<number> {
  const { code } = await cli([
    'verify',
    '--pact',
    pact,
    '--monolith',
    monolith.url,
    '--candidate',
    candidate.url,
    '--provider',
    'logistics',
    '--provider-version',
    '2.0.0',
    '--noise-samples',
    '1',
    '--json',
    json,
    ...extra,
  ]);
  return code;
}

async function readReport(file: string): Promise<VerificationReport> {
  return JSON.parse(await readFile(join(dir, file), 'utf8')) as VerificationReport;
}

async function writeReport(file: string, report: VerificationReport): Promise<void> {
  await writeFile(join(dir, file), JSON.stringify(report));
}

function gate(policy: string, ...args: string[]) {
  return cli(['gate', '--policy', policy, '--routing-out', 'routing', ...args]);
}

/** The routing artifacts in `--routing-out`: none unless the gate allowed. */
async function artifacts(): Promise<string[]> {
  return readdir(join(dir, 'routing')).catch(() => []);
}

beforeAll(async () => {
  monolith = await startServer({
    'GET /api/items/1': () => ({ body: { id: 1, name: 'one' } }),
    'GET /api/items/2': () => ({ body: { id: 2, name: 'two' } }),
  });
  candidate = await startServer({
    'GET /api/items/1': () => ({ body: { id: 1, name: 'one' } }),
    'GET /api/items/2': () => ({ body: { id: 2, name: 'TWO' } }),
  });
  const item = (n: number) => ({
    description: `item ${n}`,
    request: { method: 'GET', path: `/api/items/${n}` },
    response: { status: 200, body: { id: n } },
  });
  const written = await writePacts([
    v3Pact('web-app', 'logistics', [item(1), item(2)]),
    v3Pact('web-app', 'logistics', [item(1)]),
  ]);
  [pactFile, greenPactFile] = written.files as [string, string];
  dir = await mkdtemp(join(tmpdir(), 'cutover-cli-gate-evidence-'));
  await writeFile(join(dir, 'items.yaml'), POLICY('{ methods: [GET], path: /api/items/* }'));
  await writeFile(join(dir, 'writes.yaml'), POLICY('{ methods: [GET, DELETE, POST], path: /api/items/* }'));
  await writeFile(join(dir, 'everything.yaml'), POLICY('{ methods: [GET], path: /** }'));
  await writeFile(
    join(dir, 'everything-allowed.yaml'),
    POLICY('{ methods: [GET], path: /** }', ', allowBroaderThanEvidence: true'),
  );
  expect(await verify(pactFile, 'full.json')).toBe(1);
  expect(await verify(greenPactFile, 'green.json')).toBe(0);
  // Filtered to the interaction the candidate passes, and run after the complete, failing run.
  expect(await verify(pactFile, 'partial.json', '--filter-description', 'item 1')).toBe(0);
});

afterAll(async () => {
  await Promise.all([monolith?.close(), candidate?.close()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('cutover gate on partial evidence', () => {
  it('verify records its filters and where each result sits in its pact', async () => {
    const partial = await readReport('partial.json');
    expect(partial.filters).toEqual({ descriptions: ['item 1'] });
    expect(partial.results.map((r) => [r.pact, r.index, r.description])).toEqual([[0, 0, 'item 1']]);
    expect((await readReport('full.json')).filters).toBeUndefined();
  });

  it('blocks a filtered run with --pact, naming each interaction of the pact that has no result', async () => {
    const { code, stdout } = await gate('items.yaml', '--results', 'partial.json', '--pact', pactFile);
    expect(code).toBe(1);
    expect(stdout).toContain(
      `[interaction-missing] web-app › "item 2" (GET /api/items/2, interactions[1] of ${pactFile}) falls under GET /api/items/* but has no result in ${join(dir, 'partial.json')} (a filtered run: description containing "item 1")`,
    );
    expect(await artifacts()).toEqual([]);
  });

  it('never takes a filtered run for full evidence without --pact', async () => {
    const { code, stdout } = await gate('items.yaml', '--results', 'partial.json');
    expect(code).toBe(1);
    expect(stdout).toContain(
      `[evidence-partial] web-app: ${join(dir, 'partial.json')} comes from a filtered run (description containing "item 1")`,
    );
  });

  it('keeps an older complete failing run over a newer filtered one, whatever the order', async () => {
    for (const order of [
      ['full.json', 'partial.json'],
      ['partial.json', 'full.json'],
    ]) {
      const { code, stdout } = await gate('items.yaml', ...order.flatMap((f) => ['--results', f]), '--pact', pactFile);
      expect(code).toBe(1);
      expect(stdout).toContain('[parity-differs] web-app › "item 2"');
    }
  });

  it('blocks results whose failing interaction was deleted by hand, with --pact', async () => {
    const full = await readReport('full.json');
    const results = full.results.filter((r) => r.description !== 'item 2');
    await writeReport('trimmed.json', { ...full, results, summary: summarizeResults(results) });
    const trimmed = await gate('items.yaml', '--results', 'trimmed.json', '--pact', pactFile);
    expect(trimmed.code).toBe(1);
    expect(trimmed.stdout).toContain('[interaction-missing] web-app › "item 2"');
    // The same check passes evidence that has every interaction of the current pact.
    expect((await gate('items.yaml', '--results', 'green.json', '--pact', greenPactFile)).code).toBe(0);
  });
});

describe('cutover gate on coverage per method and path', () => {
  it('blocks each method of the route that has no verified interaction', async () => {
    const { code, stdout } = await gate('writes.yaml', '--results', 'green.json', '--pact', greenPactFile);
    expect(code).toBe(1);
    expect(stdout).toMatch(/\[method-not-verified\] DELETE \/api\/items\/\*: no verified interaction uses DELETE/);
    expect(stdout).toMatch(/\[method-not-verified\] POST \/api\/items\/\*: no verified interaction uses POST/);
    expect(await artifacts()).toEqual([]);
  });

  it('blocks a route broader than its evidence unless the policy opts in, and says what the evidence covers', async () => {
    const broad = await gate('everything.yaml', '--results', 'green.json', '--pact', greenPactFile);
    expect(broad.code).toBe(1);
    expect(broad.stdout).toContain(
      '[route-broader-than-evidence] GET /**: the evidence covers only /api/** (/api/items/1), but the route moves every GET request under /**',
    );
    const allowed = await gate(
      'everything-allowed.yaml',
      '--results',
      'green.json',
      '--pact',
      greenPactFile,
      '--json',
      'decision.json',
    );
    expect(allowed.code).toBe(0);
    const decision = JSON.parse(await readFile(join(dir, 'decision.json'), 'utf8')) as {
      routes: { coverage: unknown }[];
    };
    expect(decision.routes[0]!.coverage).toEqual([{ method: 'GET', paths: ['/api/items/1'] }]);
    expect(allowed.stdout).toContain('evidence covers: GET /api/items/1');
  });
});

describe('cutover verify and gate on the provider', () => {
  it('verify refuses a pact for another provider than --provider (exit 2), naming the file and its provider', async () => {
    const { files } = await writePacts([
      v3Pact('web-app', 'billing', [
        { description: 'x', request: { method: 'GET', path: '/api/items/1' }, response: { status: 200 } },
      ]),
    ]);
    const { code, stderr } = await cli([
      'verify',
      '--pact',
      files[0]!,
      '--monolith',
      monolith.url,
      '--provider',
      'logistics',
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain(
      `[CUTOVER_PACT_PROVIDER_MISMATCH] Pact ${files[0]!} is for provider "billing", but this run verifies "logistics" (--provider)`,
    );
  });

  it('blocks results whose pacts and results are for another provider, whatever the header says', async () => {
    const green = await readReport('green.json');
    await writeReport('foreign.json', {
      ...green,
      pacts: green.pacts.map((p) => ({ ...p, provider: 'billing' })),
      results: green.results.map((r) => ({ ...r, provider: 'billing' })),
    });
    const { code, stdout } = await gate('items.yaml', '--results', 'foreign.json');
    expect(code).toBe(1);
    const foreign = join(dir, 'foreign.json');
    expect(stdout).toContain(
      `[wrong-provider] web-app: ${foreign} verified the pact ${greenPactFile} ($.pacts[0]) of web-app with provider "billing", not "logistics"`,
    );
    expect(stdout).toContain(`[wrong-provider] web-app: 1 result(s) in ${foreign} are for provider "billing"`);
  });
});

describe('cutover gate on ties and contradictions', () => {
  it('uses every equally new results file of a consumer, so command-line order never decides', async () => {
    const green = await readReport('green.json');
    const full = await readReport('full.json');
    await writeReport('tie-green.json', {
      ...green,
      pacts: full.pacts,
      startedAt: full.startedAt,
      finishedAt: full.finishedAt,
    });
    for (const order of [
      ['tie-green.json', 'full.json'],
      ['full.json', 'tie-green.json'],
    ]) {
      const { code, stdout } = await gate('items.yaml', ...order.flatMap((f) => ['--results', f]));
      expect(code).toBe(1);
      expect(stdout).toContain('[parity-differs] web-app › "item 2"');
    }
  });

  it('refuses a summary that contradicts the results (exit 2), naming the file and JSON path', async () => {
    const full = await readReport('full.json');
    await writeReport('lying.json', {
      ...full,
      summary: { ...full.summary, passed: full.summary.interactions, failed: 0 },
    });
    const { code, stderr } = await gate('items.yaml', '--results', 'lying.json');
    expect(code).toBe(2);
    expect(stderr).toContain(
      `[CUTOVER_EVIDENCE_INVALID] ${join(dir, 'lying.json')}: $.summary.passed (2) contradicts $.results, which count as passed 1`,
    );
  });

  it('refuses a result whose pact index points at no pact (exit 2), naming the file and JSON path', async () => {
    const green = await readReport('green.json');
    await writeReport('dangling.json', { ...green, results: green.results.map((r) => ({ ...r, pact: 3 })) });
    const { code, stderr } = await gate('items.yaml', '--results', 'dangling.json');
    expect(code).toBe(2);
    expect(stderr).toContain(
      `[CUTOVER_EVIDENCE_INVALID] ${join(dir, 'dangling.json')}: $.results[0].pact (3) points at no pact: $.pacts has 1 entry`,
    );
  });
});

describe('cutover verify and gate read --pact alike', () => {
  it('gate takes a folder searched at any depth and a glob, as verify does', async () => {
    const bytes = await readFile(pactFile);
    await mkdir(join(dir, 'nested', 'web-app', 'v2'), { recursive: true });
    await writeFile(join(dir, 'nested', 'web-app', 'v2', 'items.json'), bytes);
    await mkdir(join(dir, 'globbed'), { recursive: true });
    await writeFile(join(dir, 'globbed', 'web-app-items.json'), bytes);
    for (const [pact, found] of [
      ['nested', join(dir, 'nested', 'web-app', 'v2', 'items.json')],
      ['globbed/*-items.json', join(dir, 'globbed', 'web-app-items.json')],
    ] as const) {
      const { code, stdout, stderr } = await gate('items.yaml', '--results', 'partial.json', '--pact', pact);
      expect(stderr).toBe('');
      expect(code).toBe(1);
      // The same bytes as the pact verify read: not stale, and each request without a result is named.
      expect(stdout).not.toContain('[stale-evidence]');
      expect(stdout).toContain(
        `[interaction-missing] web-app › "item 2" (GET /api/items/2, interactions[1] of ${found})`,
      );
    }
  });

  it('fingerprints a pact with a byte-order mark and CRLF line ends as verify does, so its results are current', async () => {
    const text = JSON.stringify(JSON.parse(await readFile(greenPactFile, 'utf8')), null, 2).replace(/\n/g, '\r\n');
    await writeFile(join(dir, 'windows.json'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
    expect(await verify('windows.json', 'windows-results.json')).toBe(0);
    const { code, stdout, stderr } = await gate(
      'items.yaml',
      '--results',
      'windows-results.json',
      '--pact',
      'windows.json',
    );
    expect(stderr).toBe('');
    expect(stdout).not.toContain('[stale-evidence]');
    expect(code).toBe(0);
  });
});
