import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { result, runGate, verification } from './__fixtures__/gate.js';

let dir: string;
const cli = (args: string[]) => runGate(dir, args);

const policy = (currentWeight: number, extra = '') => `version: 1
provider: logistics
candidate: { service: tracking-service }
split: { by: tenant, tenantKey: { header: X-Tenant-Id }, pilotTenants: [acme] }
${extra}
routes:
  - name: tracking
    match: { methods: [GET], path: /api/tracking/** }
    currentWeight: ${currentWeight}
`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cutover-cli-rollback-'));
  await writeFile(join(dir, 'at-10.yaml'), policy(10));
  await writeFile(join(dir, 'at-10-previous.yaml'), policy(10, 'rollback: { to: previous-step }'));
  await writeFile(join(dir, 'at-0.yaml'), policy(0));
  await writeFile(join(dir, 'green.json'), JSON.stringify(verification([result('web-app', '/api/tracking/A1')])));
  await writeFile(
    join(dir, 'red.json'),
    JSON.stringify(
      verification([
        result('web-app', '/api/tracking/A1', {
          parity: {
            status: 'differs',
            differences: [
              { kind: 'extra', path: '$.internalRef', monolith: undefined, candidate: 'X-1', message: 'extra' },
            ],
            noise: [],
          },
        }),
      ]),
    ),
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ARTIFACTS = ['cutover-weights.json', 'cutover-routing.http.conf', 'cutover-flagd.json'];

describe('cutover gate rollback', () => {
  it('exits 3, writes the artifacts that take the traffic back, and says ROLLBACK first in every report', async () => {
    const { code, stdout } = await cli([
      '--policy',
      'at-10.yaml',
      '--results',
      'red.json',
      '--json',
      'rollback.json',
      '--markdown',
      'rollback.md',
      '--routing-out',
      'routing',
      '--gateway',
      'json',
      'nginx',
      'flagd',
    ]);
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^cutover gate: ROLLBACK — tracking-service/);
    expect(lines[1]).toBe(
      'ROLLBACK tracking 10% → 0% (parity-differs): apply the routing artifact to take the traffic back',
    );
    expect(code).toBe(3);
    for (const file of ARTIFACTS) expect(existsSync(join(dir, 'routing', file)), file).toBe(true);
    expect(stdout).toContain('(ROLLBACK: apply it now; ');
    const weights = JSON.parse(await readFile(join(dir, 'routing/cutover-weights.json'), 'utf8')) as {
      outcome: string;
      routes: { weights: { candidate: number }; rollback: unknown }[];
    };
    expect(weights.outcome).toBe('rollback');
    expect(weights.routes[0]).toMatchObject({ weights: { candidate: 0 }, rollback: { from: 10, to: 0 } });
    const nginx = await readFile(join(dir, 'routing/cutover-routing.http.conf'), 'utf8');
    expect(nginx).toContain(
      '# route tracking: GET /api/tracking/** to tracking-service: ROLLBACK 10% -> 0% (parity-differs)',
    );
    expect(nginx).not.toContain('split_clients');
    const decision = JSON.parse(await readFile(join(dir, 'rollback.json'), 'utf8')) as { outcome: string };
    expect(decision.outcome).toBe('rollback');
    expect((await readFile(join(dir, 'rollback.md'), 'utf8')).split('\n')[0]).toMatch(/⏪ cutover gate: rollback/);
  });

  it('records the decision in the broker with the rollback first: outcome rollback, the route back to 0%', async () => {
    const bodies: string[] = [];
    const broker = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (req.method === 'POST' && req.url === '/cutover/decisions') bodies.push(body);
        res.writeHead(201).end();
      });
    });
    await new Promise<void>((resolve) => broker.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(broker.address() as AddressInfo).port}`;
      const { code } = await cli(['--policy', 'at-10.yaml', '--results', 'red.json', '--broker-url', url]);
      expect(code).toBe(3);
      expect(bodies).toHaveLength(1);
      const recorded = JSON.parse(bodies[0]!) as Record<string, unknown>;
      expect(Object.keys(recorded).slice(0, 3)).toEqual(['format', 'decidedAt', 'outcome']);
      expect(recorded).toMatchObject({
        outcome: 'rollback',
        routes: [{ name: 'tracking', nextWeight: 0, rollback: { from: 10, to: 0, because: ['parity-differs'] } }],
      });
    } finally {
      await new Promise((resolve) => broker.close(resolve));
    }
  });

  it('rolls back to the previous step when the policy says so: the tenants of 1% stay', async () => {
    const { code } = await cli([
      '--policy',
      'at-10-previous.yaml',
      '--results',
      'red.json',
      '--routing-out',
      'routing-previous',
      '--gateway',
      'nginx',
    ]);
    expect(code).toBe(3);
    const nginx = await readFile(join(dir, 'routing-previous/cutover-routing.http.conf'), 'utf8');
    expect(nginx).toMatch(/split_clients "\$http_x_tenant_id" \$cutover_tracking_hashed \{\n {4}1% candidate;/);
    expect(nginx).toContain('"~^acme$" candidate;');
  });

  it('exits 1 and writes nothing for the same evidence on a route without traffic yet', async () => {
    const { code, stdout } = await cli(['--policy', 'at-0.yaml', '--results', 'red.json', '--routing-out', 'r0']);
    expect(code).toBe(1);
    expect(stdout.split('\n')[0]).toMatch(/^cutover gate: BLOCKED/);
    expect(stdout).not.toContain('ROLLBACK');
    expect(existsSync(join(dir, 'r0/cutover-weights.json'))).toBe(false);
  });

  it('exits 2 with CUTOVER_CONFIG_INVALID before deciding when an artifact cannot express the tenant split', async () => {
    const first = await cli(['--policy', 'at-0.yaml', '--results', 'green.json', '--routing-out', 'r-envoy']);
    expect(first.code).toBe(0);
    const { code, stderr, stdout } = await cli([
      '--policy',
      'at-0.yaml',
      '--results',
      'green.json',
      '--routing-out',
      'r-envoy',
      '--gateway',
      'json',
      'envoy',
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain('CUTOVER_CONFIG_INVALID');
    expect(stderr).toMatch(/at-0\.yaml: \$\.split\.by: the Envoy artifact cannot split by tenant/);
    expect(stdout).not.toContain('cutover gate: ALLOWED');
    expect(existsSync(join(dir, 'r-envoy/cutover-weights.json'))).toBe(false);
  });
});
