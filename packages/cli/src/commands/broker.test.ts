import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from '../main.js';

async function cli(args: string[]): Promise<{ code: number; stderr: string }> {
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await runCli(['broker', ...args], { stdout: new PassThrough(), stderr, env: {} });
  return { code, stderr: err };
}

describe('cutover broker options', () => {
  it('exits 2 on a port that is not a port number, naming --port, before opening any database', async () => {
    const { code, stderr } = await cli(['--port', '70000', '--database', '/dev/null/never.db']);
    expect(code).toBe(2);
    expect(stderr).toContain('[CUTOVER_USAGE] --port must be a port number, not 70000');
  });

  it('exits 2 on a single-valued option given twice, naming it', async () => {
    const { code, stderr } = await cli([
      '--host',
      '127.0.0.1',
      '--host',
      '0.0.0.0',
      '--database',
      '/dev/null/never.db',
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain('[CUTOVER_USAGE] --host was given 2 times ("127.0.0.1", "0.0.0.0"); give it once');
  });
});
