import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleTargetArgs, startService, stopAll, type Service } from './support/services.js';
import { cutover } from './support/cli.js';

/**
 * The demo's core, driven as a user drives it: the example services as real processes on free
 * ports, the built CLI as a child process, real files in a temporary folder.
 */
const dir = mkdtempSync(join(tmpdir(), 'cutover-e2e-'));
const dataFile = join(dir, 'logistics.json');
let monolith: Service;
let candidate: Service;

const MONOLITH = 'examples/logistics-monolith/src/main.ts';
const SERVICE = 'examples/tracking-service/src/main.ts';

beforeAll(async () => {
  monolith = await startService('monolith', MONOLITH, ['--data', dataFile]);
  candidate = await startService('tracking-service', SERVICE, ['--data', dataFile, '--divergence', 'none']);
});
afterAll(async () => {
  await stopAll();
  rmSync(dir, { recursive: true, force: true });
});

function verify(out: string, candidateUrl = candidate.url) {
  mkdirSync(out, { recursive: true });
  return cutover([
    'verify',
    '--pact',
    'contracts/pacts',
    '--provider',
    'logistics',
    '--openapi',
    'contracts/openapi/logistics.yaml',
    ...exampleTargetArgs(monolith.url, candidateUrl),
    '--timeout',
    '3000',
    '--retries',
    '0',
    '--json',
    join(out, 'verify.json'),
  ]);
}

function gate(out: string, policy = 'contracts/cutover.yaml', pacts = 'contracts/pacts') {
  return cutover([
    'gate',
    '--policy',
    policy,
    '--results',
    join(out, 'verify.json'),
    '--pact',
    pacts,
    '--openapi',
    'contracts/openapi/logistics.yaml',
    '--json',
    join(out, 'gate.json'),
    '--markdown',
    join(out, 'gate.md'),
    '--routing-out',
    join(out, 'routing'),
    '--gateway',
    'json',
    'nginx',
  ]);
}

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A port nothing listens on: bound once by us, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// Each CLI run is a fresh node process; on a busy machine a verify + gate pair takes well over 10 s.
describe('cutover verify + gate on the example system', { timeout: 120_000 }, () => {
  it('verifies a faithful candidate, and the gate allows the first rollout step with a routing artifact', async () => {
    const out = join(dir, 'faithful');
    const verified = await verify(out);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    const report = readJson(join(out, 'verify.json'));
    expect(report.format).toBe('cutover.verification/v1');
    expect(report.summary).toMatchObject({ interactions: 6, passed: 6, failed: 0, errored: 0 });
    expect(report.summary.parity.differs).toBe(0);
    expect(new Set(report.results.map((r: { consumer: string }) => r.consumer))).toEqual(
      new Set(['web-app', 'mobile-app']),
    );

    const gated = await gate(out);
    expect(gated.code, gated.stdout + gated.stderr).toBe(0);
    expect(gated.stdout).toContain('ALLOWED');
    expect(readJson(join(out, 'gate.json'))).toMatchObject({
      outcome: 'allowed',
      routes: [{ name: 'tracking', nextWeight: 1 }],
    });
    expect(readdirSync(join(out, 'routing')).sort()).toEqual(
      expect.arrayContaining(['cutover-weights.json', 'cutover-routing.http.conf', 'cutover-routing.locations.conf']),
    );
    expect(readFileSync(join(out, 'gate.md'), 'utf8')).toContain('tracking');
  });

  it('blocks evidence verified against a pact that has changed since (the consumer published a new pact)', async () => {
    const pacts = join(dir, 'newer-pacts');
    mkdirSync(pacts, { recursive: true });
    for (const file of readdirSync('contracts/pacts')) {
      const pact = readJson(join('contracts/pacts', file));
      if (pact.consumer.name === 'web-app') pact.interactions[0].description += ' (revised)';
      writeFileSync(join(pacts, file), JSON.stringify(pact, null, 2));
    }
    const gated = await gate(join(dir, 'faithful'), 'contracts/cutover.yaml', pacts);
    expect(gated.code, gated.stdout + gated.stderr).toBe(1);
    const reasons = readJson(join(dir, 'faithful', 'gate.json')).routes[0].reasons as Array<{
      code: string;
      consumer?: string;
    }>;
    expect(reasons).toContainEqual(expect.objectContaining({ code: 'stale-evidence', consumer: 'web-app' }));
    expect(reasons.some((r) => r.code === 'stale-evidence' && r.consumer === 'mobile-app')).toBe(false);
  });

  it('blocks a candidate that renamed a field, names the difference, and leaves no routing artifact behind', async () => {
    const out = join(dir, 'renamed');
    // A stale artifact from an earlier allowed run must not survive a block.
    mkdirSync(join(out, 'routing'), { recursive: true });
    writeFileSync(join(out, 'routing', 'cutover-weights.json'), '{"stale":true}\n');
    await candidate.stop();
    candidate = await startService('tracking-service', SERVICE, ['--data', dataFile, '--divergence', 'renamed-field']);

    const verified = await verify(out);
    expect(verified.code, verified.stderr).toBe(1);
    expect(verified.stdout).toContain('estimatedDelivery');
    const gated = await gate(out);
    expect(gated.code, gated.stderr).toBe(1);
    expect(gated.stdout).toContain('BLOCKED');
    const decision = readJson(join(out, 'gate.json'));
    expect(decision.outcome).toBe('blocked');
    const paths = decision.routes[0].reasons.map((r: { difference?: { path: string } }) => r.difference?.path);
    expect(paths).toContain('$.eta.estimatedDelivery');
    expect(existsSync(join(out, 'routing', 'cutover-weights.json'))).toBe(false);
  });

  it('rolls the renamed-field candidate back once 1% of the traffic is on it: exit 3, ROLLBACK first, artifacts back to 0%', async () => {
    // The team applied the first step and raised currentWeight to 1, as the policy's comment says.
    const policy = join(dir, 'at-1.yaml');
    const text = readFileSync('contracts/cutover.yaml', 'utf8');
    expect(text).toContain('currentWeight: 0');
    writeFileSync(policy, text.replace('currentWeight: 0', 'currentWeight: 1'));
    const out = join(dir, 'renamed');
    const gated = await gate(out, policy);
    expect(gated.code, gated.stdout + gated.stderr).toBe(3);
    const [first, second] = gated.stdout.split('\n');
    expect(first).toMatch(/^cutover gate: ROLLBACK — tracking-service/);
    expect(second).toMatch(/^ROLLBACK tracking 1% → 0% \(.*parity-differs.*\): apply the routing artifact/);
    expect(readJson(join(out, 'gate.json'))).toMatchObject({
      outcome: 'rollback',
      routes: [{ name: 'tracking', currentWeight: 1, nextWeight: 0, rollback: { from: 1, to: 0 } }],
    });
    expect(readJson(join(out, 'routing', 'cutover-weights.json'))).toMatchObject({
      outcome: 'rollback',
      routes: [{ weights: { candidate: 0, monolith: 100 }, decision: 'rollback' }],
    });
    expect(readFileSync(join(out, 'routing', 'cutover-routing.http.conf'), 'utf8')).toContain('ROLLBACK 1% -> 0%');
  });

  it('fails closed when the candidate is dead: verify reports errors naming the URL, the gate blocks', async () => {
    const out = join(dir, 'dead');
    const deadUrl = `http://127.0.0.1:${await closedPort()}`;
    const verified = await verify(out, deadUrl);
    expect(verified.code, verified.stderr).toBe(1);
    const report = readJson(join(out, 'verify.json'));
    expect(report.summary.errored).toBeGreaterThan(0);
    expect(JSON.stringify(report.results)).toContain(deadUrl.replace('http://', ''));
    const gated = await gate(out);
    expect(gated.code).toBe(1);
    expect(readJson(join(out, 'gate.json')).outcome).toBe('blocked');
    expect(existsSync(join(out, 'routing', 'cutover-weights.json'))).toBe(false);
  });

  it('refuses a broken policy with exit 2 and a coded error naming the file', async () => {
    const policy = join(dir, 'broken-policy.yaml');
    writeFileSync(
      policy,
      'version: 1\ncandidate: { service: tracking-service }\nroutes:\n  - name: tracking\n    match: { path: 42 }\n',
    );
    const unparsable = join(dir, 'unparsable-policy.yaml');
    writeFileSync(unparsable, 'version: 1\nroutes: [\n');
    const [gated, again] = await Promise.all([
      gate(join(dir, 'faithful'), policy),
      gate(join(dir, 'faithful'), unparsable),
    ]);
    expect(gated.code).toBe(2);
    expect(gated.stderr).toContain('CUTOVER_CONFIG_INVALID');
    expect(gated.stderr).toContain(policy);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(unparsable);
  });

  it('refuses to decide without evidence (a missing results file) with exit 2', async () => {
    const gated = await gate(join(dir, 'nowhere'));
    expect(gated.code).toBe(2);
    expect(gated.stderr).toContain(join(dir, 'nowhere', 'verify.json'));
  });
});
