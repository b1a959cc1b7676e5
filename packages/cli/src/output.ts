import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { OutputError } from '@cutover/core';
import type { CliIo } from './context.js';

/**
 * Writes a report or artifact, creating its folder; `-` means standard output. A failure (full
 * disk, no permission) is an OutputError naming the file, never a silently missing report.
 *
 * @example
 * await writeReport('reports/verify.md', io, renderMarkdown(report));
 */
export async function writeReport(file: string, io: Pick<CliIo, 'cwd' | 'stdout'>, content: string): Promise<void> {
  if (file === '-') {
    io.stdout.write(content);
    return;
  }
  const path = resolve(io.cwd, file);
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
  } catch (error) {
    throw new OutputError(`${path}: cannot write: ${(error as Error).message}`, {
      cause: error,
      details: { file: path },
    });
  }
}
