import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v3Pact, writePacts } from '@cutover/verifier/testing';
import { cutover } from './support/cli.js';

/**
 * Hostile answers and paths, met the way a user meets them: the built CLI as a child process
 * against a real server on a free port.
 */
const dir = mkdtempSync(join(tmpdir(), 'cutover-e2e-limits-'));
let server: Server;
let url: string;
let pactDir: string;
let bigBytesSent = 0;

beforeAll(async () => {
  const chunk = Buffer.alloc(2 ** 20, 'x');
  server = createServer((req, res) => {
    if (req.url === '/deep') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('['.repeat(5000) + ']'.repeat(5000));
    } else if (req.url === '/big') {
      // 150 MiB offered, no Content-Length: the client must stop reading at its body limit.
      res.writeHead(200, { 'content-type': 'text/plain' });
      let sent = 0;
      const pump = (): void => {
        while (sent < 150 && !res.destroyed) {
          sent++;
          bigBytesSent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    } else {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"id":1}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const get = (path: string) => ({
    description: `GET ${path}`,
    request: { method: 'GET', path },
    response: { status: 200 },
  });
  pactDir = (await writePacts([v3Pact('web-app', 'logistics', [get('/deep'), get('/big'), get('/ok')])])).dir;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
  rmSync(pactDir, { recursive: true, force: true });
});

describe('cutover verify and gate limits (built CLI)', () => {
  it('errors the deep-JSON and oversized interactions, verifies the rest and writes the report (exit 1)', async () => {
    const { code, stdout } = await cutover(
      ['verify', '--pact', pactDir, '--monolith', url, '--json', join(dir, 'verify.json'), '--max-body', '10MB'],
      { timeoutMs: 60_000 },
    );
    expect(code).toBe(1);
    expect(stdout).toContain('3 interactions: 1 passed');
    const report = JSON.parse(readFileSync(join(dir, 'verify.json'), 'utf8')) as {
      results: { targets: { monolith: { outcome: string; error?: { code: string; message: string } } } }[];
    };
    const [deep, big, ok] = report.results.map((r) => r.targets.monolith);
    expect(deep!.error?.code).toBe('CUTOVER_LIMIT_EXCEEDED');
    expect(big!.error?.code).toBe('CUTOVER_LIMIT_EXCEEDED');
    expect(big!.error?.message).toContain('over the 10 MiB body limit');
    expect(ok!.outcome).toBe('pass');
    expect(bigBytesSent).toBeLessThan(100 * 2 ** 20);
  });

  it.runIf(process.platform === 'linux')(
    'gate: a report path under /proc exits 2 with CUTOVER_OUTPUT_FAILED, never hangs, and writes no artifact',
    async () => {
      const results = join(dir, 'gate-results.json');
      const policy = join(dir, 'policy.yaml');
      const now = new Date().toISOString();
      const passed = { outcome: 'pass', status: 200, mismatches: [], timingMs: 1 };
      writeFileSync(
        results,
        JSON.stringify({
          format: 'cutover.verification/v1',
          tool: { name: 'cutover', version: '0.1.0' },
          startedAt: now,
          finishedAt: now,
          provider: { name: 'logistics' },
          targets: {},
          pacts: [],
          results: [
            {
              consumer: 'web-app',
              provider: 'logistics',
              description: 'GET /ok',
              providerStates: [],
              pending: false,
              route: { method: 'GET', path: '/ok' },
              targets: { monolith: passed, candidate: passed },
              parity: { status: 'identical', differences: [], noise: [] },
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
        }),
      );
      writeFileSync(
        policy,
        'version: 1\nprovider: logistics\ncandidate: { service: tracking }\nroutes:\n  - name: ok\n    match: { methods: [GET], path: /ok }\n    currentWeight: 0\n',
      );
      const { code, stderr } = await cutover(
        [
          'gate',
          '--policy',
          policy,
          '--results',
          results,
          '--json',
          '/proc/cutover/gate.json',
          '--routing-out',
          join(dir, 'routing'),
        ],
        { timeoutMs: 20_000 },
      );
      expect(code).toBe(2);
      expect(stderr).toContain('[CUTOVER_OUTPUT_FAILED] /proc/cutover/gate.json: cannot write');
      expect(existsSync(join(dir, 'routing'))).toBe(false);
    },
  );
});
