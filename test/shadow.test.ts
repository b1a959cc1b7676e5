import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseShadowEvidence, type ShadowEvidence } from '@cutover/core';
import { nginxMirrorConfig } from '@cutover/shadow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireNginx } from '../packages/gate/src/__fixtures__/nginx.js';
import { startCutover } from './support/background.js';
import { startService, stopAll, type Service } from './support/services.js';

/**
 * `cutover shadow` as a user runs it: the built CLI beside the example monolith and the tracking
 * service that leaks the customer's e-mail address, first as a proxy in front of the monolith,
 * then fed by a real nginx's `mirror`.
 */
const dir = mkdtempSync(join(tmpdir(), 'cutover-shadow-e2e-'));
const dataFile = join(dir, 'logistics.json');
let monolith: Service;
let leaky: Service;
let nginx: ChildProcess | undefined;

beforeAll(async () => {
  monolith = await startService('monolith', 'examples/logistics-monolith/src/main.ts', ['--data', dataFile]);
  leaky = await startService('tracking-service', 'examples/tracking-service/src/main.ts', [
    '--data',
    dataFile,
    '--divergence',
    'leaked-field',
  ]);
});
afterAll(async () => {
  nginx?.kill('SIGTERM');
  await stopAll();
  rmSync(dir, { recursive: true, force: true });
});

const paths = [
  '/api/tracking/SHP-1001',
  '/api/tracking/SHP-1002',
  '/api/tracking/SHP-1001/events?limit=2',
  '/api/tracking/SHP-9999',
];

/** What a caller gets, without what differs between any two answers of the monolith (`generatedAt`, `requestId`). */
async function body(url: string): Promise<{ status: number; type: string | null; json: unknown }> {
  const res = await fetch(url, { headers: { Accept: 'application/json', Authorization: 'Bearer user-secret' } });
  const json = JSON.parse(await res.text(), (key, value: unknown) =>
    key === 'generatedAt' || key === 'requestId' ? undefined : value,
  );
  return { status: res.status, type: res.headers.get('content-type'), json };
}

function readEvidence(file: string): ShadowEvidence {
  return parseShadowEvidence(JSON.parse(readFileSync(file, 'utf8')), file);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('cutover shadow on the example system', { timeout: 120_000 }, () => {
  it('as a proxy: callers get the monolith’s answers, the evidence shows the leaked field, exit 1', async () => {
    const out = join(dir, 'proxy.json');
    const shadow = await startCutover(
      [
        'shadow',
        '--monolith',
        monolith.url,
        '--candidate',
        leaky.url,
        '--listen',
        '0',
        '--out',
        out,
        '--openapi',
        'contracts/openapi/logistics.yaml',
        '--provider',
        'logistics',
        '--candidate-version',
        '1.4.0',
      ],
      /listening on (http:\/\/\S+)/,
    );
    const url = shadow.match[1]!;
    for (const path of paths) expect(await body(url + path), path).toEqual(await body(monolith.url + path));
    const stopped = await shadow.stop('SIGTERM');
    expect(stopped.code, stopped.stdout + stopped.stderr).toBe(1);
    expect(stopped.stdout).toContain('extra $.customerEmail');
    const evidence = readEvidence(out);
    expect(evidence).toMatchObject({ mode: 'proxy', provider: 'logistics', candidateVersion: '1.4.0' });
    const tracking = evidence.routes.find((r) => r.path === '/api/tracking/{shipmentId}')!;
    expect(tracking).toMatchObject({ method: 'GET', seen: 3, compared: 3 });
    expect(tracking.differences.find((d) => d.path === '$.customerEmail')).toMatchObject({ kind: 'extra' });
    expect(readFileSync(out, 'utf8')).not.toContain('user-secret');
  });

  it('fed by nginx’s mirror: callers get the monolith’s answers through nginx, cutover compares both services', async (ctx) => {
    const binary = requireNginx(ctx, 'the nginx mirror configuration');
    if (!binary) return;
    const out = join(dir, 'gateway.json');
    const receiver = await startCutover(
      [
        'shadow',
        '--gateway',
        '--monolith',
        monolith.url,
        '--candidate',
        leaky.url,
        '--listen',
        '0',
        '--out',
        out,
        '--openapi',
        'contracts/openapi/logistics.yaml',
      ],
      /receiving mirrored requests on (http:\/\/[^\s;]+)/,
    );
    const receiverAddress = new URL(receiver.match[1]!).host;
    const port = await freePort();
    const caseDir = mkdtempSync(join(dir, 'nginx-'));
    writeFileSync(
      join(caseDir, 'nginx.conf'),
      [
        'daemon off;',
        'master_process off;',
        'pid nginx.pid;',
        `error_log ${join(caseDir, 'error.log')};`,
        'events {}',
        'http {',
        '  access_log off;',
        `  client_body_temp_path ${caseDir}/body; proxy_temp_path ${caseDir}/proxy;`,
        `  fastcgi_temp_path ${caseDir}/fastcgi; uwsgi_temp_path ${caseDir}/uwsgi; scgi_temp_path ${caseDir}/scgi;`,
        `  upstream monolith { server ${new URL(monolith.url).host}; }`,
        '  server {',
        `    listen 127.0.0.1:${port};`,
        nginxMirrorConfig({ location: '/api/tracking/', monolith: 'monolith', receiver: receiverAddress }),
        '    location / { proxy_pass http://monolith; }',
        '  }',
        '}',
      ].join('\n'),
    );
    nginx = spawn(binary, ['-c', join(caseDir, 'nginx.conf'), '-p', caseDir], { stdio: 'ignore' });
    const gateway = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 100; i++) {
      if (
        await fetch(`${gateway}/health`).then(
          () => true,
          () => false,
        )
      )
        break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    for (const path of paths) expect(await body(gateway + path), path).toEqual(await body(monolith.url + path));
    // The mirror is asynchronous: give cutover a moment to receive the last copies.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const stopped = await receiver.stop('SIGTERM');
    nginx.kill('SIGTERM');
    expect(stopped.code, stopped.stdout + stopped.stderr).toBe(1);
    const evidence = readEvidence(out);
    expect(evidence.mode).toBe('gateway');
    const tracking = evidence.routes.find((r) => r.path === '/api/tracking/{shipmentId}')!;
    expect(tracking).toMatchObject({ seen: 3, compared: 3 });
    expect(tracking.differences.find((d) => d.path === '$.customerEmail')).toMatchObject({ kind: 'extra' });
    expect(evidence.routes.find((r) => r.path === '/api/tracking/{shipmentId}/events')).toMatchObject({ compared: 1 });
  });
});
