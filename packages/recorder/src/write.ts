import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OutputError } from '@cutover/core';
import type { PactDocument } from './book.js';

/**
 * The file a pact is written to: `<consumer>-<provider>.json`, each name reduced to letters,
 * digits, `.`, `_` and `-` (names come from traffic and must not steer the path).
 */
export function pactFileName(pact: Pick<PactDocument, 'consumer' | 'provider'>): string {
  const safe = (name: string) => name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[.]+/, '_') || '_';
  return `${safe(pact.consumer.name)}-${safe(pact.provider.name)}.json`;
}

/**
 * Writes a pact atomically: to a temporary file in the same folder, then renamed over the target,
 * so a reader (or a crash) never sees a half-written pact. A failure is an {@link OutputError}
 * (`CUTOVER_OUTPUT_FAILED`) naming the file, with the cause; the temporary file is removed.
 *
 * @example
 * const file = await writePactFile('contracts/pacts', book.pact('mobile-app'));
 */
export async function writePactFile(dir: string, pact: PactDocument): Promise<string> {
  const file = join(dir, pactFileName(pact));
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(temp, `${JSON.stringify(pact, null, 2)}\n`, { flag: 'wx' });
    await rename(temp, file);
    return file;
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw new OutputError(`${file}: cannot write the recorded pact: ${(error as Error).message}`, {
      cause: error,
      details: { file },
    });
  }
}

/**
 * Merges a pact into the one already at its file (interactions with the same description are
 * replaced, the others kept), under a lock folder so parallel writers (vitest workers) do not
 * lose each other's interactions, and writes it atomically.
 *
 * @example
 * await mergePactFile('pacts', pact); // pacts/web-app-logistics.json now holds both
 */
export async function mergePactFile(dir: string, pact: PactDocument, timeoutMs = 10_000): Promise<string> {
  const file = join(dir, pactFileName(pact));
  const lock = `${file}.lock`;
  await mkdir(dir, { recursive: true }).catch(() => undefined);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || Date.now() > deadline)
        throw new OutputError(`${file}: cannot take the lock ${lock}: ${(error as Error).message}`, {
          cause: error,
          details: { file },
        });
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  try {
    let interactions = pact.interactions;
    const existing = await readFile(file, 'utf8').catch(() => undefined);
    if (existing !== undefined) {
      let earlier: Partial<PactDocument>;
      try {
        earlier = JSON.parse(existing) as Partial<PactDocument>;
      } catch (cause) {
        throw new OutputError(`${file}: the pact already there is not JSON; not overwriting it`, {
          cause,
          details: { file },
        });
      }
      const replaced = new Set(pact.interactions.map((i) => i.description));
      interactions = [
        ...(earlier.interactions ?? []).filter((i) => !replaced.has(i.description)),
        ...pact.interactions,
      ];
      interactions.sort((a, b) => String(a.description).localeCompare(String(b.description)));
    }
    return await writePactFile(dir, { ...pact, interactions });
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}
