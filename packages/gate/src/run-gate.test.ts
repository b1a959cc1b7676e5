import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGate } from './run-gate.js';
import { POLICY_YAML, report } from './__fixtures__/evidence.js';

let dir: string;
let broker: Server;
let brokerUrl: string;
const posted: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cutover-run-gate-'));
  await writeFile(
    join(dir, 'cutover.yaml'),
    POLICY_YAML.replace('requireAllOperationsExercised: true', 'requireAllOperationsExercised: false'),
  );
  const recent = new Date(Date.now() - 60_000).toISOString();
  await writeFile(join(dir, 'verify.json'), JSON.stringify(report({ startedAt: recent, finishedAt: recent })));
  // A stock Pact Broker: no pacts for the provider, no decision endpoint.
  broker = createServer((req, res) => {
    if (req.method === 'POST') posted.push(req.url ?? '');
    res.writeHead(404, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => broker.listen(0, '127.0.0.1', resolve));
  brokerUrl = `http://127.0.0.1:${(broker.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => broker.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

describe('runGate', () => {
  it('decides from results files named relative to cwd', async () => {
    const run = await runGate({ policy: 'cutover.yaml', resultsFiles: ['verify.json'], cwd: dir });
    expect(run.decision.outcome).toBe('allowed');
    expect(run.evidenceUnavailable).toBe(false);
  });

  it('moves allowed routes to a forced weight, and refuses one outside 0 to 100', async () => {
    const run = await runGate({ policy: 'cutover.yaml', resultsFiles: ['verify.json'], force: 50, cwd: dir });
    expect(run.decision.routes[0]!.nextWeight).toBe(50);
    await expect(
      runGate({ policy: 'cutover.yaml', resultsFiles: ['verify.json'], force: 120, cwd: dir }),
    ).rejects.toThrow(
      expect.objectContaining({
        code: 'CUTOVER_USAGE',
        message: 'the forced weight must be an integer from 0 to 100 (got 120)',
      }),
    );
  });

  it('refuses to run without evidence, and broker evidence without a candidate version', async () => {
    await expect(runGate({ policy: 'cutover.yaml', cwd: dir })).rejects.toThrow(/name the evidence/);
    await expect(runGate({ policy: 'cutover.yaml', broker: { url: brokerUrl }, cwd: dir })).rejects.toThrow(
      /candidate-version is required/,
    );
  });

  it('blocks as unavailable when the broker has no evidence, records the decision unless told not to, and warns it was not recorded', async () => {
    posted.length = 0;
    const run = await runGate({
      policy: 'cutover.yaml',
      broker: { url: brokerUrl },
      candidateVersion: '1.4.0',
      cwd: dir,
    });
    expect(run.evidenceUnavailable).toBe(true);
    expect(run.decision.outcome).toBe('blocked');
    expect(posted).toHaveLength(1);
    expect(run.decision.warnings.join('\n')).toMatch(/not recorded/);

    posted.length = 0;
    await runGate({
      policy: 'cutover.yaml',
      broker: { url: brokerUrl, record: false },
      candidateVersion: '1.4.0',
      cwd: dir,
    });
    expect(posted).toEqual([]);
  });
});
