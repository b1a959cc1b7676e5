import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { OutputError } from '@cutover/core';
import type { CliIo } from './context.js';

/**
 * Writes a report or artifact, creating its folder; `-` means standard output. Content given in
 * chunks (a report renderer's generator) is streamed, never joined into one string. A failure
 * (full disk, no permission) is an OutputError naming the file, never a silently missing report.
 *
 * @example
 * await writeReport('reports/verify.md', io, renderMarkdown(report));
 * await writeReport('reports/verify.xml', io, renderJunitChunks(report));
 */
export async function writeReport(
  file: string,
  io: Pick<CliIo, 'cwd' | 'stdout'>,
  content: string | Iterable<string>,
): Promise<void> {
  if (file === '-') {
    if (typeof content === 'string') io.stdout.write(content);
    else for (const chunk of content) io.stdout.write(chunk);
    return;
  }
  const path = resolve(io.cwd, file);
  try {
    await mkdir(dirname(path), { recursive: true });
    if (typeof content === 'string') await writeFile(path, content);
    else await pipeline(Readable.from(content), createWriteStream(path));
  } catch (error) {
    throw new OutputError(`${path}: cannot write: ${(error as Error).message}`, {
      cause: error,
      details: { file: path },
    });
  }
}
