import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ErrorCodes, OutputError } from '@cutover/core';
import { writeReport } from './output.js';

describe('writeReport', () => {
  it('creates missing folders, resolves against the working directory, and writes "-" to stdout', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'cutover-out-'));
    const stdout = new PassThrough();
    let printed = '';
    stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    await writeReport('reports/deep/verify.md', { cwd, stdout }, '# ok\n');
    expect(await readFile(join(cwd, 'reports/deep/verify.md'), 'utf8')).toBe('# ok\n');
    await writeReport('-', { cwd, stdout }, '{"a":1}');
    expect(printed).toBe('{"a":1}');
  });

  it('fails with a coded error naming the file when it cannot write (never a silently missing report)', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'cutover-out-'));
    await writeFile(join(cwd, 'blocker'), 'a file where a folder should be');
    const error = await writeReport('blocker/report.md', { cwd, stdout: new PassThrough() }, 'x').catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OutputError);
    expect((error as OutputError).code).toBe(ErrorCodes.OUTPUT_FAILED);
    expect((error as Error).message).toContain(join(cwd, 'blocker/report.md'));
  });
});
