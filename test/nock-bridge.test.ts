import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from '../examples/demo/src/processes.js';
import { startService, stopAll } from '../examples/demo/src/processes.js';
import { cutover, ROOT, run } from './support/cli.js';

/**
 * The nock bridge as a consumer team meets it: the ops dashboard's unchanged nock tests, run with
 * its vitest config (one setup file calling recordPacts), write a pact that `cutover verify` checks
 * against the example monolith.
 */
const dir = mkdtempSync(join(tmpdir(), 'cutover-nock-e2e-'));
const pacts = join(dir, 'pacts');
let monolith: Service;

beforeAll(async () => {
  monolith = await startService('monolith', 'examples/logistics-monolith/src/main.ts', [
    '--data',
    join(dir, 'data.json'),
  ]);
});
afterAll(async () => {
  await stopAll();
  rmSync(dir, { recursive: true, force: true });
});

/** The environment of a fresh vitest run, not this one's worker. */
const outsideVitest = Object.fromEntries(
  Object.keys(process.env)
    .filter((name) => name.startsWith('VITEST') || name === 'NODE_OPTIONS' || name === 'TEST')
    .map((name) => [name, undefined]),
);

describe('the nock bridge on the example ops dashboard', { timeout: 180_000 }, () => {
  it("turns the dashboard's nock tests into a pact that verifies against the monolith", async () => {
    const tests = await run(
      process.execPath,
      [
        join(ROOT, 'node_modules/vitest/vitest.mjs'),
        'run',
        '--config',
        'examples/consumers/ops-dashboard/vitest.config.ts',
      ],
      { env: { ...outsideVitest, PACT_DIR: pacts }, timeoutMs: 120_000 },
    );
    expect(tests.code, tests.stdout + tests.stderr).toBe(0);
    expect(readdirSync(pacts)).toEqual(['ops-dashboard-logistics.json']);
    const pact = JSON.parse(readFileSync(join(pacts, 'ops-dashboard-logistics.json'), 'utf8')) as {
      interactions: { description: string }[];
    };
    expect(pact.interactions.map((i) => i.description)).toEqual([
      'GET /api/tracking/{id} → 200',
      'GET /api/tracking/{id} → 404',
      'GET /api/tracking/{id}/events?limit → 200',
    ]);

    const verified = await cutover(
      ['verify', '--pact', pacts, '--provider', 'logistics', '--monolith', monolith.url, '--retries', '0'],
      { timeoutMs: 90_000 },
    );
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toContain('3 interactions: 3 passed');
  });
});
