import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PactLoadError, UsageError } from '../errors.js';

/** Every character that can make a pattern dynamic (picomatch's scan): a path without any is a plain path. */
export const MAY_BE_GLOB = /[*?[\]{}()!+@\\]/;

/**
 * Expands files, folders (every `*.json` below, at any depth) and globs into a sorted,
 * de-duplicated list of absolute file paths: what `--pact` accepts in every command.
 *
 * @example
 * await resolvePactFiles(['pacts/*.json', 'more-pacts'], process.cwd())
 */
export async function resolvePactFiles(inputs: string[], cwd: string): Promise<string[]> {
  const files = new Set<string>();
  if (inputs.length === 0) return [];
  // The glob library is loaded for a glob or a folder; a list of file paths (most runs) needs none.
  const globs = () => import('tinyglobby');
  for (const input of inputs) {
    const absolute = resolve(cwd, input);
    let pattern = false;
    if (MAY_BE_GLOB.test(input) && (await globs()).isDynamicPattern(input)) {
      const { glob } = await globs();
      const matched = await glob(input, { cwd, absolute: true, onlyFiles: true });
      if (matched.length > 0) {
        matched.forEach((f) => files.add(f));
        continue;
      }
      // A file may be named like a pattern (`pact (1).json`): read as a glob it matches nothing, so it is taken as named.
      pattern = true;
    }
    let info;
    try {
      info = await stat(absolute);
    } catch (cause) {
      if (pattern) throw new UsageError(`--pact ${input}: the glob matches no file (in ${cwd})`);
      throw new UsageError(`--pact ${input}: ${absolute} does not exist`, { cause, details: { file: absolute } });
    }
    if (info.isDirectory()) {
      const { glob } = await globs();
      const matched = await glob('**/*.json', { cwd: absolute, absolute: true, onlyFiles: true });
      if (matched.length === 0) throw new UsageError(`--pact ${input}: folder ${absolute} holds no .json pact file`);
      matched.forEach((f) => files.add(f));
    } else files.add(absolute);
  }
  return [...files].sort();
}

/**
 * The fingerprint of a pact's content: SHA-256 (hex) of its bytes exactly as read (a byte-order
 * mark and CRLF line ends included), or of the JSON text of a pact that came as a parsed object.
 * `cutover verify` records it in `pacts[].sha256`; the gate compares the current pact files' with it.
 *
 * @example
 * pactSha256(await readPactFile('pacts/web-app-logistics.json'))
 */
export function pactSha256(content: Uint8Array | string): string {
  return createHash('sha256').update(content).digest('hex');
}

/** A pact file's bytes; a file that cannot be read is a `PactLoadError` naming it. */
export async function readPactFile(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (cause) {
    throw new PactLoadError(`Pact file ${file} could not be read: ${(cause as Error).message}`, {
      cause,
      details: { source: file },
    });
  }
}
