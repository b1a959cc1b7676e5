import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';

/** Expands files, folders (every `*.json` below) and globs into a sorted, de-duplicated file list. */
export async function resolvePactFiles(inputs: string[], cwd: string): Promise<string[]> {
  const files = new Set<string>();
  if (inputs.length === 0) return [];
  const { glob, isDynamicPattern } = await import('tinyglobby');
  for (const input of inputs) {
    const absolute = resolve(cwd, input);
    if (isDynamicPattern(input)) {
      const matched = await glob(input, { cwd, absolute: true, onlyFiles: true });
      if (matched.length === 0) throw new UsageError(`--pact ${input}: the glob matches no file (in ${cwd})`);
      matched.forEach((f) => files.add(f));
      continue;
    }
    let info;
    try {
      info = await stat(absolute);
    } catch (cause) {
      throw new UsageError(`--pact ${input}: ${absolute} does not exist`, { cause, details: { file: absolute } });
    }
    if (info.isDirectory()) {
      const matched = await glob('**/*.json', { cwd: absolute, absolute: true, onlyFiles: true });
      if (matched.length === 0) throw new UsageError(`--pact ${input}: folder ${absolute} holds no .json pact file`);
      matched.forEach((f) => files.add(f));
    } else files.add(absolute);
  }
  return [...files].sort();
}
