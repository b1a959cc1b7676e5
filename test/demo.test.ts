import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support/cli.js';

/**
 * `npm run demo` is interrupted once its services are up: it must stop every process it started
 * and exit 130. (The full run is exercised by `cutover-flow.test.ts`, step for step.)
 */
describe('npm run demo', { timeout: 120_000 }, () => {
  it('stops the services it started when interrupted with Ctrl-C', async () => {
    const out = mkdtempSync(join(tmpdir(), 'demo-e2e-'));
    const demo = spawn(process.execPath, ['--import', 'tsx', 'examples/demo/src/demo.ts', '--out', out], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', PACT_BROKER_BASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const urls = await new Promise<string[]>((resolve, reject) => {
      demo.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk;
        const found = [...output.matchAll(/(?:logistics-monolith|tracking-service) on (http:\/\/[\d.:]+)/g)].map(
          (m) => m[1]!,
        );
        if (found.length === 2) resolve(found);
      });
      demo.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
      demo.once('exit', (code) => reject(new Error(`demo exited (${code}) before starting its services:\n${output}`)));
    });
    for (const url of urls) expect((await fetch(`${url}/health`)).status).toBe(200);
    const exited = new Promise<number | null>((resolve) => demo.once('exit', resolve));
    demo.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(output).toContain('stopping every process it started');
    for (const url of urls) await expect(fetch(`${url}/health`)).rejects.toThrow();
    expect(readdirSync(out)).toContain('logistics-data.json');
    rmSync(out, { recursive: true, force: true });
  });
});
