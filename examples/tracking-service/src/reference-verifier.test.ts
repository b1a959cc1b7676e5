import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMonolith } from '@cutover/example-logistics-monolith';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTrackingService } from './server.js';

/**
 * The committed pacts checked with Pact's own reference verifier (pact_verifier_cli), so the
 * example system is known to honour its contracts independently of cutover's verifier.
 */
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const PACTS = ['contracts/pacts/web-app-logistics.json', 'contracts/pacts/mobile-app-logistics.json'];
// The interactions on the route being migrated (the service serves nothing else).
const TRACKING = 'tracking|ETA|events';

const dir = mkdtempSync(join(tmpdir(), 'reference-verifier-'));
const dataFile = join(dir, 'logistics.json');
const quiet = () => undefined;
let monolith: Awaited<ReturnType<typeof startMonolith>>;

beforeAll(async () => {
  monolith = await startMonolith({ port: 0, dataFile, log: quiet });
});
afterAll(async () => {
  await monolith.close();
  rmSync(dir, { recursive: true, force: true });
});

function pactVerifier(url: string, extra: string[] = []): Promise<{ code: number | null; output: string }> {
  const { hostname, port } = new URL(url);
  const args = [...PACTS.flatMap((f) => ['-f', f]), '-n', 'logistics', '-h', hostname, '-p', port];
  args.push('--state-change-url', `${url}/_pact/provider-states`, '--no-colour', ...extra);
  const child = spawn(join(ROOT, 'node_modules/.bin/pact-verifier'), args, {
    cwd: ROOT,
    env: { ...process.env, PACT_DO_NOT_TRACK: 'true' },
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

const failures = (output: string) =>
  [...output.matchAll(/^\d+\) Verifying a pact between (\S+) and logistics.*? - (.+)$/gm)].map(
    (m) => `${m[1]}: ${m[2]}`,
  );

describe('the pacts, checked by the Pact reference verifier', { timeout: 60_000 }, () => {
  it('the monolith honours every interaction', async () => {
    const { code, output } = await pactVerifier(monolith.url);
    expect(failures(output)).toEqual([]);
    expect(code, output).toBe(0);
  });

  it('the faithful tracking service honours every tracking interaction', async () => {
    const service = await startTrackingService({ port: 0, dataFile, divergence: 'none', log: quiet });
    try {
      const { code, output } = await pactVerifier(service.url, ['--filter-description', TRACKING]);
      expect(code, output).toBe(0);
    } finally {
      await service.close();
    }
  });

  it('pacts alone miss the leaked field but catch the renamed one (why cutover also compares and validates)', async () => {
    const leaky = await startTrackingService({ port: 0, dataFile, divergence: 'leaked-field', log: quiet });
    const renamed = await startTrackingService({ port: 0, dataFile, divergence: 'renamed-field', log: quiet });
    try {
      expect((await pactVerifier(leaky.url, ['--filter-description', TRACKING])).code).toBe(0);
      const broken = await pactVerifier(renamed.url, ['--filter-description', TRACKING]);
      expect(broken.code).not.toBe(0);
      expect(failures(broken.output)).toEqual(
        expect.arrayContaining([expect.stringContaining('a request for the ETA of a shipment out for delivery')]),
      );
    } finally {
      await Promise.all([leaky.close(), renamed.close()]);
    }
  });
});
