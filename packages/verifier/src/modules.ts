import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '@cutover/core';

export type ModuleCache = Map<string, Promise<Record<string, unknown>>>;

/**
 * Loads a user's JS or TS module (state handlers, request hook). tsx makes `.ts` work on Node 20
 * without a build step. tsx evaluates a module afresh on every import, so a run passes one `cache`:
 * a state module named for both targets is then one instance (one database connection, one store).
 */
export function loadUserModule(
  file: string,
  cwd: string,
  what: string,
  cache: ModuleCache = new Map(),
): Promise<Record<string, unknown>> {
  const path = resolve(cwd, file);
  let loading = cache.get(path);
  if (!loading) {
    loading = importModule(path, what);
    cache.set(path, loading);
  }
  return loading;
}

async function importModule(path: string, what: string): Promise<Record<string, unknown>> {
  if (!existsSync(path)) throw new ConfigError(`${what} module ${path} does not exist`, { details: { file: path } });
  try {
    // Loaded on first use: most runs need no module, and tsx is not small.
    const { tsImport } = await import('tsx/esm/api');
    return (await tsImport(pathToFileURL(path).href, import.meta.url)) as Record<string, unknown>;
  } catch (cause) {
    throw new ConfigError(`${what} module ${path} could not be loaded: ${(cause as Error).message}`, {
      cause,
      details: { file: path },
    });
  }
}

/** The module's default export, unwrapping the double default tsx gives CommonJS-shaped modules. */
export function defaultExport(module: Record<string, unknown>): unknown {
  let value: unknown = module.default;
  if (value && typeof value === 'object' && 'default' in value && Object.keys(value).length === 1) {
    value = (value as { default: unknown }).default;
  }
  return value;
}
