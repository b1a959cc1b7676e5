/**
 * `cutover shadow` and the gate's shadow requirement as a user runs them: a shadow run in front of
 * test servers, then `cutover gate --shadow` on its evidence beside a green verification.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseShadowEvidence } from '@cutover/core';
import { startServer, v3Pact, writePacts } from '@cutover/verifier/testing';
import type { Running } from '@cutover/verifier/testing';
import { runCli } from '../main.js';

let monolith: Running;
let candidate: Running;
let dir: string;

const POLICY = (rules: string) => `version: 1
provider: logistics
candidate: { service: items-service }
routes:
  - name: items
    match: { methods: [GET], path: /api/items/* }
    currentWeight: 0
    rules: { schema: { required: false }${rules} }
`;

/** Runs the CLI in process; `onLine` sees stdout as it is written (to find the proxy's URL). */
async function cli(args: string[], onLine?: (line: string) => void) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => {
    out += c.toString();
    onLine?.(c.toString());
  });
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await runCli(args, { stdout, stderr, cwd: dir, env: { CI: '1' } });
  return { code, stdout: out, stderr: err };
}

beforeAll(async () => {
  const item = (n: number) => ({ body: { id: n, name: `item ${n}` } });
  monolith = await startServer({ 'GET /api/items/*': (r) => item(Number(r.path.split('/').pop())) });
  // Right on what the pact asks (item 1); on live traffic (item 2, 3) it leaks an internal note.
  candidate = await startServer({
    'GET /api/items/*': (r) => {
      const n = Number(r.path.split('/').pop());
      return n === 1 ? item(1) : { body: { ...item(n).body, internalNote: 'refund pending' } };
    },
  });
  dir = await mkdtemp(join(tmpdir(), 'cutover-cli-shadow-'));
  const { files } = await writePacts([
    v3Pact('web-app', 'logistics', [
      {
        description: 'item 1',
        request: { method: 'GET', path: '/api/items/1' },
        response: { status: 200, body: { id: 1 } },
      },
    ]),
  ]);
  const verified = await cli([
    'verify',
    '--pact',
    files[0]!,
    '--monolith',
    monolith.url,
    '--candidate',
    candidate.url,
    '--provider',
    'logistics',
    '--provider-version',
    '2.0.0',
    '--json',
    'verify.json',
  ]);
  expect(verified.code, verified.stdout + verified.stderr).toBe(0);
  await writeFile(join(dir, 'policy.yaml'), POLICY(', shadow: { minRequests: 3, maxDifferingRate: 0 }'));
  await writeFile(join(dir, 'lenient.yaml'), POLICY(', shadow: { minRequests: 3, maxDifferingRate: 0.7 }'));
});

afterAll(async () => {
  await Promise.all([monolith?.close(), candidate?.close()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('cutover shadow', () => {
  it('compares live traffic until --requests were seen, writes the evidence and exits 1 when answers differ', async () => {
    let sent: Promise<unknown> | undefined;
    const run = await cli(
      [
        'shadow',
        '--monolith',
        monolith.url,
        '--candidate',
        candidate.url,
        '--listen',
        '0',
        '--out',
        'shadow.json',
        '--requests',
        '3',
        '--provider',
        'logistics',
        '--candidate-version',
        '2.0.0',
      ],
      (line) => {
        const url = /listening on (http:\/\/\S+)/.exec(line)?.[1];
        if (url) sent = Promise.all([1, 2, 3].map((n) => fetch(`${url}/api/items/${n}`).then((r) => r.json())));
      },
    );
    expect(await sent).toEqual([1, 2, 3].map((n) => ({ id: n, name: `item ${n}` })));
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toContain('3 request(s) seen: finishing the comparisons');
    expect(run.stdout).toMatch(/3 request\(s\) seen, 3 mirrored, 3 compared: 2 differing, 0 noise only, 1 identical/);
    expect(run.stdout).toContain('extra $.internalNote — 2 request(s)');
    const evidence = parseShadowEvidence(JSON.parse(await readFile(join(dir, 'shadow.json'), 'utf8')), 'shadow.json');
    expect(evidence.routes).toEqual([expect.objectContaining({ method: 'GET', path: '/api/items/{id}', compared: 3 })]);
  });

  it('stops after --duration seconds and exits 0 when nothing differed', async () => {
    const run = await cli([
      'shadow',
      '--monolith',
      monolith.url,
      '--candidate',
      candidate.url,
      '--listen',
      '0',
      '--out',
      'idle.json',
      '--duration',
      '0.5',
    ]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('0.5 s elapsed: finishing the comparisons');
    expect(JSON.parse(await readFile(join(dir, 'idle.json'), 'utf8'))).toMatchObject({ totals: { seen: 0 } });
  });

  it('publishes the evidence to the broker with --publish, listed under the provider and candidate version', async () => {
    const { createBroker } = await import('@cutover/broker');
    const broker = await createBroker({ database: { file: join(dir, 'broker.db') } });
    const brokerUrl = await broker.listen({ port: 0, host: '127.0.0.1' });
    try {
      const run = await cli(
        [
          'shadow',
          '--monolith',
          monolith.url,
          '--candidate',
          candidate.url,
          '--listen',
          '0',
          '--out',
          'published.json',
          '--requests',
          '1',
          '--provider',
          'logistics',
          '--candidate-version',
          '2.0.0',
          '--publish',
          '--broker-url',
          brokerUrl,
        ],
        (line) => {
          const url = /listening on (http:\/\/\S+)/.exec(line)?.[1];
          if (url) void fetch(`${url}/api/items/1`).then((r) => r.arrayBuffer());
        },
      );
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`published to ${brokerUrl}/cutover/shadow/\\d+`));
      const list = (await (
        await fetch(`${brokerUrl}/cutover/shadow?provider=logistics&candidateVersion=2.0.0`)
      ).json()) as {
        _embedded: { shadowRuns: { totals: { compared: number } }[] };
      };
      expect(list._embedded.shadowRuns.map((r) => r.totals.compared)).toEqual([1]);
    } finally {
      await broker.close();
    }
  });

  it('refuses --mirror-unsafe with --gateway: a mirrored write cannot be replayed on the monolith', async () => {
    const run = await cli([
      'shadow',
      '--gateway',
      '--mirror-unsafe',
      '--monolith',
      monolith.url,
      '--candidate',
      candidate.url,
      '--listen',
      '0',
      '--out',
      'x.json',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/CUTOVER_USAGE.*needs the proxy mode/s);
  });
});

describe('cutover gate --shadow', () => {
  it('blocks a route whose shadow traffic differs, though its pacts and parity pass, and cites the difference', async () => {
    const { code, stdout } = await cli([
      'gate',
      '--policy',
      'policy.yaml',
      '--results',
      'verify.json',
      '--shadow',
      'shadow.json',
      '--candidate-version',
      '2.0.0',
    ]);
    expect(code, stdout).toBe(1);
    expect(stdout).toContain('shadow-differs');
    expect(stdout).toContain(
      'differs from the monolith on 2 of 3 request(s) on GET /api/items/* (66.7%; the policy allows 0%)',
    );
    expect(stdout).toContain('$.internalNote');
  });

  it('allows when the differing rate is within the policy, with the shadow figures as a note', async () => {
    const { code, stdout } = await cli([
      'gate',
      '--policy',
      'lenient.yaml',
      '--results',
      'verify.json',
      '--shadow',
      'shadow.json',
      '--candidate-version',
      '2.0.0',
    ]);
    expect(code, stdout).toBe(0);
    expect(stdout).toContain('shadow traffic: 3 request(s) compared on GET /api/items/*, 2 differing (66.7%)');
  });

  it('blocks with shadow-missing when the policy requires shadow evidence and none is given', async () => {
    const { code, stdout } = await cli(['gate', '--policy', 'policy.yaml', '--results', 'verify.json']);
    expect(code).toBe(1);
    expect(stdout).toContain('shadow-missing');
  });

  it('exits 2 on a shadow file that is not cutover.shadow/v1, naming the file and JSON path', async () => {
    await writeFile(join(dir, 'wrong.json'), await readFile(join(dir, 'verify.json')));
    const { code, stderr } = await cli([
      'gate',
      '--policy',
      'policy.yaml',
      '--results',
      'verify.json',
      '--shadow',
      'wrong.json',
    ]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/CUTOVER_EVIDENCE_INVALID/);
    expect(stderr).toContain(`Shadow evidence ${join(dir, 'wrong.json')} at $.format`);
  });
});
