import { resolve } from 'node:path';
import { writeOutputFile } from '@cutover/core';
import type { CliIo } from './context.js';

/**
 * Writes a report or artifact with core's writeOutputFile (a coded OutputError naming the file on
 * any failure, kernel pseudo-files and devices refused); `-` means standard output.
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
  await writeOutputFile(resolve(io.cwd, file), content);
}
