import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureOutputDir, OutputError, writeOutputFile } from '@cutover/core';
import type { GateDecision } from './decide.js';
import { renderRouting, ROUTING_FILES, type Gateway } from './routing.js';

/** A routing artifact written to disk. */
export interface WrittenArtifact {
  /** Full path of the file. */
  path: string;
  /** Where it goes, in a sentence. */
  description: string;
}

/**
 * Removes every routing artifact a gate run may have left in `dir` (whatever gateway wrote it) and
 * returns the names that were there. A run calls it before anything else, so that whatever happens
 * next (a block, an error, even a refused option) no earlier run's "allow" survives; only an
 * allowed run writes new ones. Synchronous, so a command line can call it before parsing ends.
 *
 * @example
 * const removed = clearRoutingArtifacts('deploy/routing'); // ['cutover-weights.json']
 */
export function clearRoutingArtifacts(dir: string): string[] {
  const removed: string[] = [];
  for (const name of Object.values(ROUTING_FILES).flat()) {
    const file = join(dir, name);
    if (!existsSync(file)) continue;
    try {
      rmSync(file, { force: true });
    } catch (error) {
      throw new OutputError(`${file}: cannot remove the earlier routing artifact: ${(error as Error).message}`, {
        cause: error,
        details: { file },
      });
    }
    removed.push(name);
  }
  return removed;
}

/**
 * Writes the routing artifacts of an allowed decision to `dir`, one set per gateway, after
 * clearing earlier ones; a blocked decision writes none (and still clears). If a write fails, what
 * this call wrote is removed before the error is thrown: a half-written rollout step is never left.
 *
 * @example
 * if (decision.outcome === 'allowed') await writeRoutingArtifacts(decision, 'deploy/routing', ['nginx']);
 */
export async function writeRoutingArtifacts(
  decision: GateDecision,
  dir: string,
  gateways: readonly Gateway[],
): Promise<WrittenArtifact[]> {
  clearRoutingArtifacts(dir);
  if (decision.outcome !== 'allowed') return [];
  const written: WrittenArtifact[] = [];
  try {
    await ensureOutputDir(dir);
    for (const gateway of new Set(gateways))
      for (const artifact of renderRouting(decision, { gateway })) {
        const path = join(dir, artifact.file);
        await writeOutputFile(path, artifact.content);
        written.push({ path, description: artifact.description });
      }
  } catch (error) {
    try {
      clearRoutingArtifacts(dir);
    } catch (cleanup) {
      throw new OutputError(
        `${(error as Error).message}; then ${(cleanup as Error).message}: do not apply what is left in ${dir}`,
        { cause: error, details: { dir } },
      );
    }
    throw error;
  }
  return written;
}
