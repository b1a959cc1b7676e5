import { mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureOutputDir, writeOutputFile } from './output.js';

const linux = process.platform === 'linux';

describe('writeOutputFile', () => {
  it('creates every missing folder and writes text or streamed chunks', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cutover-output-'));
    await writeOutputFile(join(dir, 'a/b/c/report.txt'), 'text');
    expect(await readFile(join(dir, 'a/b/c/report.txt'), 'utf8')).toBe('text');
    await writeOutputFile(join(dir, 'a/b/chunks.txt'), ['one ', 'two']);
    expect(await readFile(join(dir, 'a/b/chunks.txt'), 'utf8')).toBe('one two');
  });

  it('writes chunks larger in all than one write batch whole and in order, replacing a longer file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cutover-output-'));
    const file = join(dir, 'large.json');
    await writeFile(file, 'x'.repeat(4 << 20));
    const chunks = Array.from({ length: 3000 }, (_, i) => `${String(i).padStart(4, '0')}${'é'.repeat(995)}\n`);
    let pulled = 0;
    await writeOutputFile(
      file,
      (function* () {
        for (const chunk of chunks) {
          pulled++;
          yield chunk;
        }
      })(),
    );
    expect(pulled).toBe(3000);
    expect(await readFile(file, 'utf8')).toBe(chunks.join(''));
  });

  it('names the file when a chunk cannot be produced, keeping the cause', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cutover-output-'));
    const file = join(dir, 'broken.json');
    const cause = new Error('renderer failed');
    const error = await writeOutputFile(
      file,
      (function* () {
        yield '{';
        throw cause;
      })(),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CUTOVER_OUTPUT_FAILED', cause });
    expect((error as Error).message).toContain(file);
  });

  it.runIf(linux)(
    'refuses a path under /proc at once with CUTOVER_OUTPUT_FAILED naming it (no endless mkdir)',
    async () => {
      await expect(writeOutputFile('/proc/cutover-missing/deeper/report.json', '{}')).rejects.toMatchObject({
        code: 'CUTOVER_OUTPUT_FAILED',
        message: expect.stringMatching(
          /^\/proc\/cutover-missing\/deeper\/report\.json: cannot write: \/proc is on the kernel's proc filesystem/,
        ),
        details: { file: '/proc/cutover-missing/deeper/report.json' },
      });
      await expect(ensureOutputDir('/proc/self/cutover')).rejects.toMatchObject({ code: 'CUTOVER_OUTPUT_FAILED' });
      await expect(ensureOutputDir('/sys/cutover')).rejects.toMatchObject({ code: 'CUTOVER_OUTPUT_FAILED' });
    },
    // An endless mkdir fails the test by this timeout.
    10_000,
  );

  it.runIf(linux)('refuses a kernel file reached through a symbolic link, leaving it untouched', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cutover-output-'));
    const before = await readFile('/proc/self/comm', 'utf8');
    await symlink('/proc/self/comm', join(dir, 'report.txt'));
    await expect(writeOutputFile(join(dir, 'report.txt'), 'renamed')).rejects.toMatchObject({
      code: 'CUTOVER_OUTPUT_FAILED',
      message: expect.stringContaining("kernel's proc filesystem"),
    });
    expect(await readFile('/proc/self/comm', 'utf8')).toBe(before);
  });

  it('refuses devices and folders: reports go to regular files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cutover-output-'));
    await expect(writeOutputFile('/dev/null', 'x')).rejects.toMatchObject({
      code: 'CUTOVER_OUTPUT_FAILED',
      message: '/dev/null: cannot write: it is a character device; reports go to regular files',
    });
    await expect(writeOutputFile(dir, 'x')).rejects.toMatchObject({
      message: `${dir}: cannot write: it is a folder; reports go to regular files`,
    });
  });

  it('names the file when a file stands where a folder should be', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cutover-output-'));
    await writeFile(join(dir, 'blocker'), '');
    await expect(writeOutputFile(join(dir, 'blocker/x/report.md'), 'x')).rejects.toMatchObject({
      code: 'CUTOVER_OUTPUT_FAILED',
      message: `${join(dir, 'blocker/x/report.md')}: cannot write: ${join(dir, 'blocker')} is a file, not a folder`,
    });
  });
});
