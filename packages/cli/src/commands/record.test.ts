import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../main.js';

let dir: string;
let busy: Server;
let busyPort: number;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cutover-cli-record-'));
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  busyPort = (busy.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => busy.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await runCli(args, { stdout, stderr, cwd: dir, env: {} });
  return { code, stdout: out, stderr: err };
}

const base = ['record', '--out', 'pacts', '--provider', 'p'];
const defaults = ['--target', 'http://127.0.0.1:9', '--listen', '0'];

// Every mistake is found before the proxy listens: these runs end on their own, with exit 2.
describe('cutover record refuses a wrong command line before listening', () => {
  it('refuses a target that is not an http(s) URL', async () => {
    const result = await run([...base, '--listen', '0', '--target', 'ftp://monolith']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('[CUTOVER_USAGE] target ftp://monolith must be an http:// or https:// URL');
  });

  it('refuses a User-Agent rule that is not CONSUMER=REGEX, and a pattern that is not a regex', async () => {
    const spec = await run([...base, ...defaults, '--consumer-user-agent', '^TrackingApp/']);
    expect(spec.code).toBe(2);
    expect(spec.stderr).toContain('must read CONSUMER=REGEX');
    const regex = await run([...base, ...defaults, '--consumer-user-agent', 'mobile=(']);
    expect(regex.code).toBe(2);
    expect(regex.stderr).toContain('[CUTOVER_CONFIG_INVALID] User-Agent pattern "("');
  });

  it('refuses an API-key map without its header, and a map that is not an object of names', async () => {
    await writeFile(join(dir, 'keys.json'), JSON.stringify({ 'k-1': 42 }));
    const alone = await run([...base, ...defaults, '--api-keys', 'keys.json']);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--api-keys and --api-key-header go together');
    const bad = await run([...base, ...defaults, '--api-keys', 'keys.json', '--api-key-header', 'x-api-key']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      `[CUTOVER_CONFIG_INVALID] ${join(dir, 'keys.json')}: $["k-1…"]: expected a consumer name`,
    );
    expect(bad.stderr).not.toContain('k-1"');
  });

  it('refuses an option given twice where one value is expected', async () => {
    const result = await run([...base, ...defaults, '--target', 'http://127.0.0.1:10']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('[CUTOVER_USAGE] --target was given 2 times');
  });

  it('says so when the port is taken', async () => {
    const result = await run([...base, '--target', 'http://127.0.0.1:9', '--listen', String(busyPort)]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`[CUTOVER_USAGE] cannot listen on 127.0.0.1:${busyPort}`);
  });

  it('refuses a redaction JSON path it cannot read', async () => {
    const result = await run([...base, ...defaults, '--redact-json-path', 'user.ssn']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('[CUTOVER_CONFIG_INVALID] redaction JSON path "user.ssn" must start with "$"');
  });
});
