import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBroker } from '@cutover/broker';
import { BrokerClient, latestProviderPacts, listDecisions, matrix } from '@cutover/broker-client';
import { ROOT } from './support/cli.js';

/** Runs `npm run demo`'s script; `onOutput` sees everything it has written so far. */
function runDemo(out: string, env: NodeJS.ProcessEnv, onOutput: (output: string) => void = () => {}) {
  const demo = spawn(process.execPath, ['--import', 'tsx', 'examples/demo/src/demo.ts', '--out', out], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', PACT_BROKER_TOKEN: '', PACT_BROKER_USERNAME: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const take = (chunk: string) => {
    output += chunk;
    onOutput(output);
  };
  demo.stdout.setEncoding('utf8').on('data', take);
  demo.stderr.setEncoding('utf8').on('data', take);
  const exited = new Promise<number | null>((resolve) => demo.once('exit', resolve));
  return { demo, exited, output: () => output };
}

describe('npm run demo', { timeout: 300_000 }, () => {
  it('starts an embedded broker by default, and stops it and the services it started when interrupted with Ctrl-C', async () => {
    const out = mkdtempSync(join(tmpdir(), 'demo-e2e-'));
    // The embedded broker's temporary folder goes here, so the test sees it removed.
    const tmp = mkdtempSync(join(tmpdir(), 'demo-e2e-tmp-'));
    let ready: (urls: { broker: string; services: string[] }) => void;
    const started = new Promise<{ broker: string; services: string[] }>((resolve) => (ready = resolve));
    const run = runDemo(out, { PACT_BROKER_BASE_URL: '', TMPDIR: tmp }, (output) => {
      const broker = /cutover broker on (http:\/\/[\d.:]+) \(embedded/.exec(output)?.[1];
      const services = [...output.matchAll(/(?:logistics-monolith|tracking-service) on (http:\/\/[\d.:]+)/g)].map(
        (m) => m[1]!,
      );
      if (broker && services.length === 2) ready({ broker, services });
    });
    const urls = await Promise.race([
      started,
      run.exited.then((code) => {
        throw new Error(`demo exited (${code}) before starting its services:\n${run.output()}`);
      }),
    ]);
    expect(run.output()).toContain(`migration board: ${urls.broker}/ui/board`);
    expect(readdirSync(tmp).filter((d) => d.startsWith('cutover-demo-broker-'))).toHaveLength(1);
    // The consumers' pacts were published to it before the services started.
    const pacts = await latestProviderPacts(new BrokerClient({ url: urls.broker }), 'logistics');
    expect(pacts.map((p) => p.name).sort()).toEqual(['mobile-app', 'web-app']);
    for (const url of urls.services) expect((await fetch(`${url}/health`)).status).toBe(200);
    run.demo.kill('SIGINT');
    expect(await run.exited).toBe(130);
    expect(run.output()).toContain('stopping every process it started');
    for (const url of [...urls.services, urls.broker]) await expect(fetch(`${url}/`)).rejects.toThrow();
    expect(readdirSync(tmp).filter((d) => d.startsWith('cutover-demo-broker-'))).toEqual([]);
    expect(readdirSync(out)).toContain('logistics-data.json');
    rmSync(out, { recursive: true, force: true });
    rmSync(tmp, { recursive: true, force: true });
  });

  it('runs end to end against the broker PACT_BROKER_BASE_URL names: pacts published, results published, every decision recorded', async () => {
    const out = mkdtempSync(join(tmpdir(), 'demo-e2e-'));
    const broker = await createBroker({ database: { file: ':memory:' } });
    try {
      const url = await broker.listen({ port: 0 });
      const run = runDemo(out, { PACT_BROKER_BASE_URL: url });
      expect(await run.exited, run.output()).toBe(0);
      expect(run.output()).toContain(`using the broker at ${url}`);
      expect(run.output()).toContain(
        'Done: the faithful service passed the gate; the buggy one was blocked, and rolled back once it had traffic.',
      );
      expect(run.output()).not.toContain('cannot run here');

      const client = new BrokerClient({ url });
      // verify published a result per consumer pact for each candidate version: passing, then failing.
      for (const [version, success] of [
        ['demo-faithful', true],
        ['demo-leaked-field', false],
      ] as const) {
        const answer = await matrix(client, {
          selectors: [{ pacticipant: 'logistics', version }],
          latestby: 'cvp',
        });
        expect(answer.matrix.map((row) => row.consumer.name).sort()).toEqual(['mobile-app', 'web-app']);
        for (const row of answer.matrix)
          expect(row.verificationResult?.success, `${version} ${row.consumer.name}`).toBe(success);
      }
      const decisions = await listDecisions(client, { route: 'tracking' });
      expect(decisions.map((d) => [d.candidateVersion, d.outcome])).toEqual([
        ['demo-leaked-field', 'rollback'],
        ['demo-leaked-field', 'blocked'],
        ['demo-faithful', 'allowed'],
      ]);
    } finally {
      await broker.close();
      rmSync(out, { recursive: true, force: true });
    }
  });
});
