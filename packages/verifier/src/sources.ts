import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadPact, PactLoadError, UsageError } from '@cutover/core';
import type { Pact, PactReference } from '@cutover/core';
import { fetchPactsForVerification } from './broker.js';
import type { VerifyOptions } from './options.js';

/** A pact ready to verify, with where it came from. */
export interface LoadedPact {
  pact: Pact;
  reference: PactReference;
  /** The broker marked the pact pending: its failures are reported but do not fail the run. */
  pending: boolean;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

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

/** Loads every pact the options name, from files and/or the broker. */
export async function loadPacts(options: VerifyOptions, cwd: string): Promise<LoadedPact[]> {
  const loaded: LoadedPact[] = [];
  for (const file of await resolvePactFiles(options.pacts ?? [], cwd)) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (cause) {
      throw new PactLoadError(`Pact file ${file} could not be read: ${(cause as Error).message}`, {
        cause,
        details: { source: file },
      });
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (cause) {
      throw new PactLoadError(`Pact file ${file} is not valid JSON: ${(cause as Error).message}`, {
        cause,
        details: { source: file, jsonPath: '$' },
      });
    }
    // The text is not needed once hashed and parsed; letting it go early lowers the peak on big pacts.
    const digest = sha256(text);
    text = '';
    const pact = await loadPact(raw as object, { source: file });
    raw = undefined;
    const entry: LoadedPact = {
      pact,
      reference: { consumer: pact.consumer.name, provider: pact.provider.name, source: file, sha256: digest },
      pending: false,
    };
    loaded.push(entry);
  }
  if (options.broker) {
    for (const fetched of await fetchPactsForVerification(options.broker)) {
      const pact = await loadPact(fetched.content, { source: fetched.url });
      const reference: PactReference = {
        consumer: pact.consumer.name,
        provider: pact.provider.name,
        source: fetched.url,
        sha256: sha256(JSON.stringify(fetched.content)),
      };
      const links = fetched.content._links as Record<string, { name?: unknown; href?: unknown }> | undefined;
      const consumerVersion = links?.['pb:consumer-version']?.name;
      if (typeof consumerVersion === 'string') reference.consumerVersion = consumerVersion;
      const createdAt = fetched.content.createdAt;
      if (typeof createdAt === 'string') reference.createdAt = createdAt;
      loaded.push({ pact, reference, pending: fetched.pending });
    }
  }
  return loaded;
}
