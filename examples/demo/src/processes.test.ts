import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCommand, startService, stopAll } from './processes.js';

const dir = mkdtempSync(join(tmpdir(), 'demo-processes-'));
afterAll(async () => {
  await stopAll();
  rmSync(dir, { recursive: true, force: true });
});

const alive = (url: string) =>
  fetch(`${url}/health`).then(
    () => true,
    () => false,
  );

describe('demo process handling', () => {
  it('starts a service on a free port, reads its URL back, and stopAll ends it', async () => {
    const service = await startService('monolith', 'examples/logistics-monolith/src/main.ts', [
      '--data',
      join(dir, 'a.json'),
    ]);
    expect(service.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await alive(service.url)).toBe(true);
    await stopAll();
    expect(service.child.exitCode !== null || service.child.signalCode !== null).toBe(true);
    expect(await alive(service.url)).toBe(false);
  });

  it('rejects with the process output when a service exits before listening', async () => {
    const failure = startService('tracking-service', 'examples/tracking-service/src/main.ts', [
      '--data',
      join(dir, 'b.json'),
      '--divergence',
      'nope',
    ]);
    await expect(failure).rejects.toThrow(/exited \(code 2\) before listening[\s\S]*unknown divergence "nope"/);
  });

  it('runs a command to completion, echoing its lines and keeping its exit code', async () => {
    const lines: string[] = [];
    const result = await runCommand(
      process.execPath,
      ['-e', 'console.log("one\\ntwo"); console.error("three"); process.exit(3)'],
      {
        echo: (line) => lines.push(line),
      },
    );
    expect(result.code).toBe(3);
    expect(lines.sort()).toEqual(['one', 'three', 'two']);
  });
});
