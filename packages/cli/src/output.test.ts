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

  it('streams content given in chunks, to a file or to stdout, exactly as the joined text', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'cutover-out-'));
    const stdout = new PassThrough();
    let printed = '';
    stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    function* chunks(): Generator<string> {
      for (let i = 0; i < 5000; i++) yield `line ${i} é\n`;
    }
    const expected = [...chunks()].join('');
    await writeReport('out/report.xml', { cwd, stdout }, chunks());
    expect(await readFile(join(cwd, 'out/report.xml'), 'utf8')).toBe(expected);
    await writeReport('-', { cwd, stdout }, chunks());
    expect(printed).toBe(expected);
  });

  it('fails with a coded error when streamed content cannot be written, or its renderer throws', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'cutover-out-'));
    await writeFile(join(cwd, 'blocker'), 'a file where a folder should be');
    const blocked = await writeReport('blocker/report.xml', { cwd, stdout: new PassThrough() }, ['a', 'b']).catch(
      (e: unknown) => e,
    );
    expect(blocked).toBeInstanceOf(OutputError);
    function* broken(): Generator<string> {
      yield 'start';
      throw new Error('renderer failed');
    }
    const thrown = await writeReport('ok/report.xml', { cwd, stdout: new PassThrough() }, broken()).catch(
      (e: unknown) => e,
    );
    expect(thrown).toBeInstanceOf(OutputError);
    expect((thrown as Error).message).toMatch(/report\.xml: cannot write: renderer failed/);
  });
});
