import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from '../examples/demo/src/processes.js';
import { startService, stopAll } from '../examples/demo/src/processes.js';
import { startCutover } from './support/background.js';
import { cutover } from './support/cli.js';

/**
 * `cutover record` as a user runs it: the built CLI in front of the example monolith (a real
 * process on a free port), traffic through it, SIGTERM, then `cutover verify` on what it wrote.
 */
const dir = mkdtempSync(join(tmpdir(), 'cutover-record-e2e-'));
const dataFile = join(dir, 'logistics.json');
const pacts = join(dir, 'pacts');
let monolith: Service;
let buggy: Service;

beforeAll(async () => {
  monolith = await startService('monolith', 'examples/logistics-monolith/src/main.ts', ['--data', dataFile]);
  buggy = await startService('tracking-service', 'examples/tracking-service/src/main.ts', [
    '--data',
    dataFile,
    '--divergence',
    'date-format',
  ]);
});
afterAll(async () => {
  await stopAll();
  rmSync(dir, { recursive: true, force: true });
});

function verify(target: string) {
  return cutover(
    ['verify', '--pact', pacts, '--provider', 'logistics', '--monolith', target, '--timeout', '5000', '--retries', '0'],
    { timeoutMs: 90_000 },
  );
}

describe('cutover record on the example monolith', { timeout: 180_000 }, () => {
  it('records pacts per consumer that verify against the monolith and fail against the buggy tracking service', async () => {
    const proxy = await startCutover(
      [
        'record',
        '--target',
        monolith.url,
        '--listen',
        '0',
        '--out',
        pacts,
        '--provider',
        'logistics',
        '--openapi',
        'contracts/openapi/logistics.yaml',
        '--consumer-header',
        'X-Client',
        '--consumer-user-agent',
        'mobile-app=^TrackingApp/',
      ],
      /listening on (http:\/\/\S+)/,
    );
    const url = proxy.match[1]!;
    const calls: [string, Record<string, string>][] = [
      ['/api/tracking/SHP-1001', { 'X-Client': 'web-app' }],
      ['/api/tracking/SHP-1002', { 'X-Client': 'web-app' }],
      ['/api/tracking/SHP-1003', { 'X-Client': 'web-app', Authorization: 'Bearer not-for-the-pact' }],
      ['/api/tracking/SHP-1001/events?limit=2', { 'User-Agent': 'TrackingApp/4.1 (iOS)' }],
      ['/api/tracking/SHP-1004/eta', { 'User-Agent': 'TrackingApp/4.1 (iOS)' }],
      ['/api/tracking/SHP-9999', { 'User-Agent': 'TrackingApp/4.1 (iOS)' }],
    ];
    for (const [path, headers] of calls) {
      const [viaProxy, direct] = await Promise.all([
        fetch(`${url}${path}`, { headers: { Accept: 'application/json', ...headers } }),
        fetch(`${monolith.url}${path}`, { headers: { Accept: 'application/json', ...headers } }),
      ]);
      expect(viaProxy.status, path).toBe(direct.status);
      expect(viaProxy.headers.get('content-type')).toBe(direct.headers.get('content-type'));
      await Promise.all([viaProxy.arrayBuffer(), direct.arrayBuffer()]);
    }

    const stopped = await proxy.stop('SIGTERM');
    expect(stopped.code, stopped.stdout + stopped.stderr).toBe(0);
    expect(stopped.stdout).toContain('recorded web-app: GET /api/tracking/{shipmentId} 200');
    expect(stopped.stdout).toContain('6 requests forwarded, 6 recorded, 0 not recorded; 2 pacts');
    expect(readdirSync(pacts).sort()).toEqual(['mobile-app-logistics.json', 'web-app-logistics.json']);
    const web = readFileSync(join(pacts, 'web-app-logistics.json'), 'utf8');
    expect(web).not.toContain('not-for-the-pact');
    const webPact = JSON.parse(web) as { interactions: { description: string }[] };
    // Three shipments, one group: kept once per shape (a shipment with an ETA and one without differ).
    expect(webPact.interactions.length).toBeLessThan(3);

    const good = await verify(monolith.url);
    expect(good.code, good.stdout + good.stderr).toBe(0);

    const bad = await verify(buggy.url);
    expect(bad.code, bad.stdout + bad.stderr).toBe(1);
    expect(bad.stdout).toMatch(/occurredAt|lastUpdated|promisedBy/);
  });

  it('publishes the recorded pacts on SIGTERM as the given consumer version (--publish)', async () => {
    const received: { method: string; url: string; body: string }[] = [];
    const broker = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        received.push({ method: req.method!, url: req.url!, body });
        res.writeHead(200, { 'Content-Type': 'application/hal+json' });
        res.end(
          req.url === '/'
            ? JSON.stringify({ _links: {} })
            : JSON.stringify({ notices: [{ type: 'success', text: 'Published the pact' }], _links: {} }),
        );
      });
    });
    await new Promise<void>((resolve) => broker.listen(0, '127.0.0.1', resolve));
    try {
      const out = join(dir, 'published');
      const proxy = await startCutover(
        [
          'record',
          '--target',
          monolith.url,
          '--listen',
          '0',
          '--out',
          out,
          '--provider',
          'logistics',
          '--consumer-header',
          'X-Client',
          '--publish',
          '--consumer-version',
          '1.2.3',
          '--branch',
          'main',
          '--broker-url',
          `http://127.0.0.1:${(broker.address() as AddressInfo).port}`,
        ],
        /listening on (http:\/\/\S+)/,
      );
      await (
        await fetch(`${proxy.match[1]}/api/tracking/SHP-1001`, { headers: { 'X-Client': 'partner-feed' } })
      ).text();
      const stopped = await proxy.stop('SIGTERM');
      expect(stopped.code, stopped.stdout + stopped.stderr).toBe(0);
      expect(stopped.stdout).toContain('published partner-feed 1.2.3 to the broker');
      const publish = received.find((r) => r.method === 'POST' && r.url === '/contracts/publish');
      const body = JSON.parse(publish!.body) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      expect(body).toMatchObject({
        pacticipantName: 'partner-feed',
        pacticipantVersionNumber: '1.2.3',
        branch: 'main',
      });
      const pact = JSON.parse(Buffer.from(body.contracts[0].content, 'base64').toString('utf8'));
      expect(pact).toEqual(JSON.parse(readFileSync(join(out, 'partner-feed-logistics.json'), 'utf8')));
    } finally {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
    }
  });

  it('refuses a --publish run without a consumer version before listening (exit 2)', async () => {
    const result = await cutover([
      'record',
      '--target',
      monolith.url,
      '--listen',
      '0',
      '--out',
      pacts,
      '--provider',
      'logistics',
      '--publish',
      '--broker-url',
      'http://127.0.0.1:9',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('[CUTOVER_USAGE] --publish needs --consumer-version');
  });
});
