import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../main.js';

let dir: string;

const openapi = `
openapi: 3.0.3
info: { title: Logistics, version: '1' }
paths:
  /shipments/{id}:
    get:
      operationId: getShipment
      parameters:
        - { name: id, in: path, required: true, schema: { type: integer } }
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [id]
                properties: { id: { type: integer }, status: { type: string } }
  /shipments:
    post:
      operationId: createShipment
      responses: { '201': { description: created } }
`;

function pactFile(responseBody: unknown): string {
  return JSON.stringify({
    consumer: { name: 'web' },
    provider: { name: 'logistics' },
    interactions: [
      {
        type: 'Synchronous/HTTP',
        description: 'a shipment',
        request: { method: 'GET', path: '/shipments/1' },
        response: {
          status: 200,
          headers: { 'Content-Type': ['application/json'] },
          body: { contentType: 'application/json', content: responseBody },
        },
      },
    ],
    metadata: { pactSpecification: { version: '4.0' } },
  });
}

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const code = await runCli(args, { stdout, stderr, cwd: dir, env: {} });
  return { code, stdout: out, stderr: err };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cutover-openapi-check-'));
  await writeFile(join(dir, 'openapi.yaml'), openapi);
  await mkdir(join(dir, 'good'));
  await mkdir(join(dir, 'bad'));
  await writeFile(join(dir, 'good', 'web-logistics.json'), pactFile({ id: 1, status: 'sent' }));
  await writeFile(join(dir, 'bad', 'web-logistics.json'), pactFile({ id: 1, legacy: true }));
  await writeFile(join(dir, 'broken-pact.json'), '{ "consumer": ');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('cutover openapi check', () => {
  it('exits 0 and prints the readable report when the pacts agree with the document', async () => {
    const { code, stdout } = await run(['openapi', 'check', '--openapi', 'openapi.yaml', '--pact', 'good']);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^OK: 1 interaction\(s\) checked; 0 error\(s\), 0 warning\(s\); 1\/2 documented operation\(s\) exercised$/m,
    );
    expect(stdout).toContain('POST /shipments (createShipment)');
  });

  it('exits 1 on errors and writes JSON, JUnit and Markdown reports', async () => {
    const { code, stdout } = await run([
      'openapi',
      'check',
      '--openapi',
      'openapi.yaml',
      '--pact',
      'bad/*.json',
      '--json',
      'out/report.json',
      '--junit',
      'out/junit.xml',
      '--markdown',
      'out/summary.md',
    ]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/ERROR {3}response\.body\.undeclared-field: response body has field \/legacy/);
    const json = JSON.parse(await readFile(join(dir, 'out/report.json'), 'utf8'));
    expect(json.format).toBe('cutover.openapi-check/v1');
    expect(json.findings.map((f: { code: string }) => f.code)).toEqual(['response.body.undeclared-field']);
    expect(await readFile(join(dir, 'out/junit.xml'), 'utf8')).toContain(
      '<failure message="response body has field /legacy',
    );
    expect(await readFile(join(dir, 'out/summary.md'), 'utf8')).toMatch(/^## OpenAPI check: failed/);
  });

  it('writes only JSON to stdout with --json - and moves the readable report to stderr', async () => {
    const { code, stdout, stderr } = await run([
      'openapi',
      'check',
      '--openapi',
      'openapi.yaml',
      '--pact',
      'good',
      '--json',
      '-',
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).summary.ok).toBe(true);
    expect(stderr).toMatch(/^OK: /m);
  });

  it('exits 2 with the coded error when the document, a pact or the pact location is bad', async () => {
    const missingDoc = await run(['openapi', 'check', '--openapi', 'nope.yaml', '--pact', 'good']);
    expect(missingDoc.code).toBe(2);
    expect(missingDoc.stderr).toMatch(/\[CUTOVER_OPENAPI_INVALID\] nope\.yaml: cannot read the OpenAPI document/);
    const brokenPact = await run(['openapi', 'check', '--openapi', 'openapi.yaml', '--pact', 'broken-pact.json']);
    expect(brokenPact.code).toBe(2);
    expect(brokenPact.stderr).toMatch(/\[CUTOVER_PACT_INVALID\].*broken-pact\.json/);
    const noPacts = await run(['openapi', 'check', '--openapi', 'openapi.yaml', '--pact', 'nothing-here/*.json']);
    expect(noPacts.code).toBe(2);
    expect(noPacts.stderr).toMatch(/matches no file/);
  });

  it('serves every operation under --base-path, with or without its leading slash', async () => {
    await mkdir(join(dir, 'gw'), { recursive: true });
    const gateway = JSON.parse(pactFile({ id: 1 }));
    gateway.interactions[0].request.path = '/gw/shipments/1';
    await writeFile(join(dir, 'gw', 'web-logistics.json'), JSON.stringify(gateway));
    for (const basePath of ['/gw', 'gw', 'gw/']) {
      const { code, stdout, stderr } = await run([
        'openapi',
        'check',
        '--openapi',
        'openapi.yaml',
        '--pact',
        'gw',
        '--base-path',
        basePath,
      ]);
      expect({ basePath, code, stderr }).toEqual({ basePath, code: 0, stderr: '' });
      expect(stdout).toMatch(/^OK: 1 interaction\(s\) checked; 0 error/m);
    }
    // Without the base path the gateway's prefix is not in the document: a real error, not a silent pass.
    const without = await run(['openapi', 'check', '--openapi', 'openapi.yaml', '--pact', 'gw']);
    expect(without.code).toBe(1);
    expect(without.stdout).toContain('request.path-or-method.unknown');
  });

  it('exits 2 on missing options', async () => {
    const { code, stderr } = await run(['openapi', 'check', '--pact', 'good']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/openapi/);
  });
});
