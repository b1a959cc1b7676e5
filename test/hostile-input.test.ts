import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nginxTest, requireNginx } from '../packages/gate/src/__fixtures__/nginx.js';
import { cutover } from './support/cli.js';

/**
 * What a pull request can put in front of cutover — pact descriptions, provider states and values,
 * policy file names and fields, versions, URLs with credentials — run through the built CLI as a
 * user runs it: nothing reaches the terminal, the reports or the gateway config as anything but text.
 */
const dir = mkdtempSync(join(tmpdir(), 'cutover-hostile-'));
const SECRET = 's3cret-pw';
const ESC = '\u001b';
const BEL = '\u0007';
const DESCRIPTION = `**urgent** [click](http://evil.example) \`code ${ESC}[2J${BEL}`;
const STATE = `item <b>1</b> | exists ${ESC}]0;owned${BEL}`;
const NAME = `${ESC}[31mred **bold** [x](http://evil.example)${BEL}`;

let monolith: Server;
let candidate: Server;
const port = (server: Server) => (server.address() as AddressInfo).port;

function service(name: string): Promise<Server> {
  const server = createServer((req, res) => {
    req.resume();
    if (req.url === '/state') return res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: 1, name: name === 'monolith' ? NAME : `${NAME}!` }));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: free } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return free;
}

const pactFile = join(dir, 'pacts', 'web-app-logistics.json');
const openapiFile = join(dir, 'openapi.yaml');

beforeAll(async () => {
  [monolith, candidate] = await Promise.all([service('monolith'), service('candidate')]);
  const pact = {
    consumer: { name: `web-app ${ESC}[1m` },
    provider: { name: 'logistics' },
    interactions: [
      {
        description: DESCRIPTION,
        providerStates: [{ name: STATE }],
        request: { method: 'GET', path: '/items/1' },
        response: { status: 200, headers: { 'Content-Type': 'application/json' }, body: { id: 1, name: 'plain' } },
      },
    ],
    metadata: { pactSpecification: { version: '3.0.0' } },
  };
  mkdirSync(join(dir, 'pacts'));
  writeFileSync(pactFile, JSON.stringify(pact));
  writeFileSync(
    openapiFile,
    [
      'openapi: 3.0.3',
      'info: { title: items, version: "1" }',
      'paths:',
      '  /items/{id}:',
      '    get:',
      '      parameters: [{ name: id, in: path, required: true, schema: { type: integer } }]',
      '      responses:',
      '        "200":',
      '          description: ok',
      '          content:',
      '            application/json:',
      '              schema: { type: object, additionalProperties: false, properties: { id: { type: integer } } }',
    ].join('\n'),
  );
});

afterAll(async () => {
  await Promise.all([monolith, candidate].map((s) => new Promise((resolve) => s.close(resolve))));
  rmSync(dir, { recursive: true, force: true });
});

const read = (file: string) => readFileSync(file, 'utf8');

function wellFormed(xml: string): string[] {
  const errors: string[] = [];
  new DOMParser({ onError: (level, message) => errors.push(`${level}: ${message}`) }).parseFromString(xml, 'text/xml');
  return errors;
}

describe('hostile input through the CLI', { timeout: 120_000 }, () => {
  it('verify: credentials in target and state URLs never appear; descriptions, states and values are escaped in every report', async () => {
    const out = join(dir, 'verify');
    const deadState = await closedPort();
    const auth = `ci:${SECRET}@`;
    const run = await cutover([
      'verify',
      '--pact',
      pactFile,
      '--provider',
      'logistics',
      '--monolith',
      `http://${auth}127.0.0.1:${port(monolith)}`,
      '--monolith-state-url',
      `http://${auth}127.0.0.1:${port(monolith)}/state`,
      '--candidate',
      `http://${auth}127.0.0.1:${port(candidate)}`,
      '--candidate-state-url',
      `http://${auth}127.0.0.1:${deadState}/state`,
      '--timeout',
      '3000',
      '--retries',
      '0',
      '--json',
      join(out, 'verify.json'),
      '--markdown',
      join(out, 'verify.md'),
      '--junit',
      join(out, 'verify.xml'),
    ]);
    expect(run.code, run.stderr).toBe(1);
    const [json, markdown, junit] = ['verify.json', 'verify.md', 'verify.xml'].map((f) => read(join(out, f))) as [
      string,
      string,
      string,
    ];
    const everything = { stdout: run.stdout, stderr: run.stderr, json, markdown, junit };
    for (const [where, text] of Object.entries(everything)) expect(text, where).not.toContain(SECRET);
    // The URLs are still named, with the password hidden: the state failure says where it went.
    expect(run.stdout).toContain(`http://***:***@127.0.0.1:${port(monolith)}/`);
    expect(run.stdout).toContain(`http://***:***@127.0.0.1:${deadState}/state`);

    for (const [where, text] of Object.entries({ stdout: run.stdout, markdown, junit })) {
      expect(text, where).not.toContain(ESC);
      expect(text, where).not.toContain(BEL);
    }
    expect(run.stdout).toContain('\\u001b[2J\\u0007');
    expect(markdown).toContain('\\*\\*urgent\\*\\* \\[click\\](http://evil.example) \\`code \\\\u001b\\[2J\\\\u0007');
    expect(markdown).toContain('item \\<b\\>1\\</b\\> \\| exists');
    expect(markdown).not.toMatch(/(?<!\\)\[click(?<!\\)\]/);
    expect(wellFormed(junit)).toEqual([]);
    expect(junit).toContain('\\u001b[2J\\u0007');
  });

  it('verify and gate: a broker URL with credentials is named without its password when it fails', async () => {
    const broker = `http://ci:${SECRET}@127.0.0.1:${await closedPort()}`;
    const verify = await cutover([
      'verify',
      '--broker-url',
      broker,
      '--provider',
      'logistics',
      '--monolith',
      `http://127.0.0.1:${port(monolith)}`,
      '--retries',
      '0',
    ]);
    expect(verify.code).toBe(2);
    expect(verify.stderr).toContain('CUTOVER_BROKER_FAILED');
    expect(verify.stdout + verify.stderr).not.toContain(SECRET);

    const policy = join(dir, 'broker-policy.yaml');
    writeFileSync(policy, POLICY('tracking-service'));
    const gate = await cutover([
      'gate',
      '--policy',
      policy,
      '--broker-url',
      broker,
      '--provider',
      'logistics',
      '--candidate-version',
      '1.0.0',
      '--json',
      join(dir, 'broker-gate.json'),
      '--markdown',
      join(dir, 'broker-gate.md'),
    ]);
    expect(gate.code).toBe(2);
    const reports = read(join(dir, 'broker-gate.json')) + read(join(dir, 'broker-gate.md'));
    expect(gate.stdout + gate.stderr + reports).not.toContain(SECRET);
  });

  it('openapi check: descriptions and values are escaped in the Markdown and shown visibly on the terminal', async () => {
    const md = join(dir, 'check.md');
    const run = await cutover(['openapi', 'check', '--openapi', openapiFile, '--pact', pactFile, '--markdown', md]);
    expect(run.code, run.stderr).toBe(1);
    const markdown = read(md);
    for (const [where, text] of Object.entries({ stdout: run.stdout, markdown })) {
      expect(text, where).not.toContain(ESC);
      expect(text, where).not.toContain(BEL);
    }
    expect(run.stdout).toContain('**urgent** [click](http://evil.example) `code \\u001b[2J\\u0007');
    expect(markdown).toContain('\\*\\*urgent\\*\\* \\[click\\](http://evil.example) \\`code \\\\u001b\\[2J\\\\u0007');
  });
});

/** A results file the gate allows (one passing, identical, schema-clean interaction under the route). */
function results(version: string): string {
  const now = new Date(Date.now() - 60_000).toISOString();
  return JSON.stringify({
    format: 'cutover.verification/v1',
    tool: { name: 'cutover', version: '0.1.0' },
    startedAt: now,
    finishedAt: now,
    provider: { name: 'logistics', version },
    targets: {},
    pacts: [{ consumer: 'web-app', provider: 'logistics', source: 'pacts/web-app.json' }],
    results: [
      {
        pact: 0,
        consumer: 'web-app',
        provider: 'logistics',
        description: 'GET /items/1',
        providerStates: [],
        pending: false,
        route: { method: 'GET', path: '/items/1' },
        targets: {
          monolith: { outcome: 'pass', status: 200, mismatches: [], timingMs: 3 },
          candidate: { outcome: 'pass', status: 200, mismatches: [], timingMs: 3 },
        },
        parity: { status: 'identical', differences: [], noise: [] },
        schema: { request: [], monolith: [], candidate: [], baseline: [], regressions: [] },
      },
    ],
    summary: {
      interactions: 1,
      passed: 1,
      failed: 0,
      errored: 0,
      skipped: 0,
      parity: { identical: 1, noiseOnly: 0, differs: 0, notCompared: 0 },
    },
  });
}

const POLICY = (service: string) => `version: 1
provider: logistics
candidate: { service: ${JSON.stringify(service)}, upstream: tracking_service }
routes:
  - name: items
    match: { methods: [GET], path: /items/** }
    currentWeight: 0
`;

const INJECTION = '\nadd_header X-Injected 1;\ncutover_injected on;';

describe('gate: values written into routing artifacts', { timeout: 120_000 }, () => {
  function gate(policy: string, resultsFile: string, out: string, extra: string[] = []) {
    return cutover([
      'gate',
      '--policy',
      policy,
      '--results',
      resultsFile,
      '--routing-out',
      out,
      '--gateway',
      'nginx',
      'envoy',
      'json',
      ...extra,
    ]);
  }

  it('a policy path with a line break and directives stays a comment: the real `nginx -t` passes on the artifacts', async (ctx) => {
    const caseDir = mkdtempSync(join(dir, 'path-'));
    const policy = join(caseDir, `cutover${INJECTION}.yaml`);
    writeFileSync(policy, POLICY('tracking-service'));
    writeFileSync(join(caseDir, 'verify.json'), results('1.4.0'));
    const out = join(caseDir, 'routing');
    const run = await gate(policy, join(caseDir, 'verify.json'), out);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const files = readdirSync(out).map((file) => ({ file, content: read(join(out, file)) }));
    for (const f of files) {
      expect(f.content).not.toMatch(/^\s*(add_header|cutover_injected)/m);
      if (f.file.endsWith('.json')) expect((JSON.parse(f.content) as { policy: string }).policy).toBe(policy);
      else expect(f.content).toContain('cutover\\u000aadd_header X-Injected 1;\\u000acutover_injected on;.yaml');
    }
    const nginx = requireNginx(ctx, 'the artifacts of a hostile policy path with `nginx -t`');
    if (!nginx) return;
    const nginxFiles = files.filter((f) => f.file.endsWith('.conf'));
    await expect(nginxTest(nginx, mkdtempSync(join(dir, 'nginx-')), nginxFiles)).resolves.toMatch(/test is successful/);
  });

  it('refuses a candidate service with a line break (exit 2, naming $.candidate.service) and writes no artifact', async () => {
    const caseDir = mkdtempSync(join(dir, 'service-'));
    writeFileSync(join(caseDir, 'cutover.yaml'), POLICY(`tracking${INJECTION}`));
    writeFileSync(join(caseDir, 'verify.json'), results('1.4.0'));
    const run = await gate(join(caseDir, 'cutover.yaml'), join(caseDir, 'verify.json'), join(caseDir, 'routing'));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('CUTOVER_CONFIG_INVALID');
    expect(run.stderr).toContain('$.candidate.service');
    expect(existsSync(join(caseDir, 'routing'))).toBe(false);
  });

  it('refuses a --candidate-version with a line break (exit 2, naming the option)', async () => {
    const caseDir = mkdtempSync(join(dir, 'flag-'));
    writeFileSync(join(caseDir, 'cutover.yaml'), POLICY('tracking-service'));
    writeFileSync(join(caseDir, 'verify.json'), results(`1.4.0${INJECTION}`));
    const run = await gate(join(caseDir, 'cutover.yaml'), join(caseDir, 'verify.json'), join(caseDir, 'routing'), [
      '--candidate-version',
      `1.4.0${INJECTION}`,
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('[CUTOVER_USAGE] --candidate-version must start with a letter or digit');
    expect(existsSync(join(caseDir, 'routing'))).toBe(false);
  });

  it('refuses results whose provider.version has a line break (exit 2, naming the file and $.provider.version)', async () => {
    const caseDir = mkdtempSync(join(dir, 'results-'));
    writeFileSync(join(caseDir, 'cutover.yaml'), POLICY('tracking-service'));
    writeFileSync(join(caseDir, 'verify.json'), results(`1.4.0${INJECTION}`));
    const run = await gate(join(caseDir, 'cutover.yaml'), join(caseDir, 'verify.json'), join(caseDir, 'routing'));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('CUTOVER_EVIDENCE_INVALID');
    expect(run.stderr).toContain(`${join(caseDir, 'verify.json')}: $.provider.version`);
    expect(existsSync(join(caseDir, 'routing'))).toBe(false);
  });
});
