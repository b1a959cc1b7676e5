import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One v3 interaction, written the way a pact file has it. */
export interface V3Interaction {
  description: string;
  providerStates?: { name: string; params?: Record<string, unknown> }[];
  request: Record<string, unknown>;
  response: Record<string, unknown>;
}

export function v3Pact(consumer: string, provider: string, interactions: V3Interaction[]): Record<string, unknown> {
  return {
    consumer: { name: consumer },
    provider: { name: provider },
    interactions,
    metadata: { pactSpecification: { version: '3.0.0' } },
  };
}

/** Writes pacts into a fresh temp folder; returns the folder and the file paths. */
export async function writePacts(pacts: Record<string, unknown>[]): Promise<{ dir: string; files: string[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'cutover-verify-'));
  const files: string[] = [];
  for (const [i, pact] of pacts.entries()) {
    const consumer = (pact.consumer as { name: string }).name;
    const file = join(dir, `${consumer}-${i}.json`);
    await writeFile(file, JSON.stringify(pact, null, 2));
    files.push(file);
  }
  return { dir, files };
}
