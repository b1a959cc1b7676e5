import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v3Pact } from '@cutover/verifier/testing';
import { cutover } from './support/cli.js';

/**
 * Pact files as positional arguments, the Pact CLIs' habit, in every command that reads pacts:
 * the built CLI as a child process, against a real service on a free port.
 */
const dir = mkdtempSync(join(tmpdir(), 'cutover-e2e-positional-'));
let server: Server;
let url: string;

const get = (path: string) => ({
  description: `GET ${path}`,
  request: { method: 'GET', path },
  response: { status: 200, headers: { 'Content-Type': 'application/json' }, body: { id: 'A1' } },
});

beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"id":"A1"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  mkdirSync(join(dir, 'pacts'));
  const write = (file: string, pact: Record<string, unknown>) => writeFileSync(join(dir, file), JSON.stringify(pact));
  write('pacts/web-app-logistics.json', v3Pact('web-app', 'logistics', [get('/api/tracking/A1')]));
  write('pacts/mobile-app-logistics.json', v3Pact('mobile-app', 'logistics', [get('/api/tracking/B2')]));
  write('partner-logistics.json', v3Pact('partner', 'logistics', [get('/api/tracking/C3')]));
  writeFileSync(
    join(dir, 'openapi.yaml'),
    `openapi: 3.0.3
info: { title: tracking, version: '1' }
paths:
  /api/tracking/{id}:
    get:
      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
      responses:
        '200':
          description: ok
          content: { application/json: { schema: { type: object, properties: { id: { type: string } } } } }
`,
  );
  writeFileSync(
    join(dir, 'cutover.yaml'),
    `version: 1
provider: logistics
candidate: { service: tracking-service }
routes:
  - name: tracking
    match: { methods: [GET], path: /api/tracking/** }
    currentWeight: 10
    rules: { requiredConsumers: [web-app, mobile-app] }
`,
  );
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

function verifiedConsumers(file: string): string[] {
  const report = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { pacts: { consumer: string }[] };
  return report.pacts.map((p) => p.consumer).sort();
}

describe('pact files as positional arguments', () => {
  it('verify reads a glob given as an argument, as --pact would', async () => {
    const args = ['--monolith', url, '--candidate', url];
    const positional = await cutover(['verify', 'pacts/*.json', ...args, '--json', 'positional.json'], { cwd: dir });
    expect(positional.stderr).toBe('');
    expect(positional.code).toBe(0);
    const flag = await cutover(['verify', '--pact', 'pacts/*.json', ...args, '--json', 'flag.json'], { cwd: dir });
    expect(flag.code).toBe(0);
    expect(verifiedConsumers('positional.json')).toEqual(['mobile-app', 'web-app']);
    expect(verifiedConsumers('positional.json')).toEqual(verifiedConsumers('flag.json'));
  });

  it('verify reads arguments and --pact together', async () => {
    const json = await cutover(
      [
        'verify',
        'pacts/web-app-logistics.json',
        '--pact',
        'partner-logistics.json',
        '--monolith',
        url,
        '--json',
        'both.json',
      ],
      { cwd: dir },
    );
    expect(json.code).toBe(0);
    expect(verifiedConsumers('both.json')).toEqual(['partner', 'web-app']);
  });

  it('openapi check reads a folder given as an argument, and exits 2 naming --pact when no pact is named', async () => {
    const checked = await cutover(['openapi', 'check', 'pacts/', '--openapi', 'openapi.yaml'], { cwd: dir });
    expect(checked.code).toBe(0);
    expect(checked.stdout).toMatch(/^OK: 2 interaction\(s\) checked; 0 error/m);

    const none = await cutover(['openapi', 'check', '--openapi', 'openapi.yaml'], { cwd: dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('[CUTOVER_USAGE] name the pacts to check: as arguments or with --pact');
  });

  it('gate holds the evidence to the pacts given as arguments: blocks for an unverified one, allows the verified ones', async () => {
    const verified = await cutover(
      ['verify', 'pacts/', '--monolith', url, '--candidate', url, '--openapi', 'openapi.yaml', '--json', 'r.json'],
      { cwd: dir },
    );
    expect(verified.code).toBe(0);

    const allowed = await cutover(['gate', 'pacts/', '--policy', 'cutover.yaml', '--results', 'r.json'], { cwd: dir });
    expect(allowed.stderr).toBe('');
    expect(allowed.code).toBe(0);

    const blocked = await cutover(
      ['gate', 'partner-logistics.json', '--policy', 'cutover.yaml', '--results', 'r.json'],
      {
        cwd: dir,
      },
    );
    expect(blocked.code).toBe(1);
    expect(blocked.stdout).toMatch(/\[consumer-missing\] partner: its pact .*partner-logistics\.json/);
  });
});
