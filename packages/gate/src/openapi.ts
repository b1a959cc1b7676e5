import { ConfigError, CutoverError, ErrorCodes } from '@cutover/core';
import type { LoadOpenApiOptions } from '@cutover/openapi';
import type { Policy } from './policy.js';
import { templateUnderPattern } from './glob.js';

/** One operation an OpenAPI document documents: `GET /api/tracking/{id}`. */
export interface DocumentedOperation {
  method: string;
  /** The path template, with the servers' common base path prepended. */
  path: string;
  operationId?: string;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function basePath(document: Record<string, unknown>): string {
  const servers = Array.isArray(document.servers) ? (document.servers as { url?: unknown }[]) : [];
  const paths = servers
    .map((s) => (typeof s.url === 'string' ? s.url : ''))
    .map((url) => {
      try {
        return new URL(url, 'http://relative.invalid').pathname.replace(/\/$/, '');
      } catch {
        return '';
      }
    });
  // Only a base path every server agrees on is part of the route the gateway sees.
  return paths.length > 0 && paths.every((p) => p === paths[0]) ? paths[0]! : '';
}

/**
 * What `@cutover/openapi`'s `loadOpenApi` returns, as far as the gate needs it: the validated,
 * bundled document and its operations (path-item `$ref`s already resolved).
 */
export interface LoadedOpenApi {
  document: unknown;
  operations: readonly { method: string; pathTemplate: string; operationId?: string }[];
}

function isLoadedOpenApi(value: unknown): value is LoadedOpenApi {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as { operations?: unknown }).operations) &&
    typeof (value as { document?: unknown }).document === 'object'
  );
}

/**
 * Lists the documented operations of an OpenAPI 3.x document: a loaded document (`loadOpenApi`
 * from `@cutover/openapi`) or a plain parsed one (any object with `paths`).
 *
 * @example
 * documentedOperations({ paths: { '/a/{id}': { get: {} } } }) // [{ method: 'GET', path: '/a/{id}' }]
 * documentedOperations(await loadOpenApi('contracts/openapi/logistics.yaml'))
 */
export function documentedOperations(input: unknown): DocumentedOperation[] {
  if (isLoadedOpenApi(input)) {
    const base = basePath(input.document as Record<string, unknown>);
    return input.operations.map((op) => ({
      method: op.method.toUpperCase(),
      path: base + op.pathTemplate,
      ...(op.operationId !== undefined ? { operationId: op.operationId } : {}),
    }));
  }
  if (typeof input !== 'object' || input === null || typeof (input as { paths?: unknown }).paths !== 'object')
    throw new CutoverError(ErrorCodes.OPENAPI_INVALID, 'the OpenAPI document has no "paths" object');
  const doc = input as Record<string, unknown>;
  const base = basePath(doc);
  const operations: DocumentedOperation[] = [];
  for (const [template, item] of Object.entries(doc.paths as Record<string, unknown>)) {
    if (typeof item !== 'object' || item === null) continue;
    for (const method of METHODS) {
      const op = (item as Record<string, unknown>)[method];
      if (typeof op !== 'object' || op === null) continue;
      const operationId = (op as { operationId?: unknown }).operationId;
      operations.push({
        method: method.toUpperCase(),
        path: base + template,
        ...(typeof operationId === 'string' ? { operationId } : {}),
      });
    }
  }
  return operations;
}

/**
 * Turns an OpenAPI source (file or URL) into a document {@link documentedOperations} accepts, such
 * as `@cutover/openapi`'s `loadOpenApi` with the caller's options.
 */
export type OpenApiLoader = (source: string) => Promise<unknown>;

/**
 * A loader through `@cutover/openapi`'s `loadOpenApi` (the document validated; by default
 * `$ref`s confined to its folder and no remote `$ref`s), imported on first use so a gate run
 * without a document never loads the OpenAPI engine.
 *
 * @example
 * await loadDocumentedOperations('api/openapi.yaml', openApiLoader({ refRoot: '.' }));
 */
export function openApiLoader(options: LoadOpenApiOptions = {}): OpenApiLoader {
  return async (source) => {
    const { loadOpenApi } = await import('@cutover/openapi');
    return loadOpenApi(source, options);
  };
}

/**
 * Loads the documented operations of an OpenAPI file.
 *
 * @example
 * const ops = await loadDocumentedOperations('contracts/openapi/logistics.yaml');
 */
export async function loadDocumentedOperations(
  source: string,
  loader: OpenApiLoader = openApiLoader(),
): Promise<DocumentedOperation[]> {
  const document = await loader(source);
  try {
    return documentedOperations(document);
  } catch (error) {
    if (error instanceof CutoverError)
      throw new CutoverError(error.code, `${source}: ${error.message}`, { cause: error, details: { file: source } });
    throw error;
  }
}

/** The documented operations under a route (method and path template within the pattern). */
export function operationsUnder(
  route: { methods: string[]; path: string },
  operations: DocumentedOperation[],
): DocumentedOperation[] {
  return operations.filter((op) => route.methods.includes(op.method) && templateUnderPattern(route.path, op.path));
}

/**
 * A route that covers no documented operation is an unknown route: probably a typo that would
 * otherwise shift traffic nobody verified. Throws a ConfigError naming every such route.
 */
export function checkRoutesKnown(policy: Policy, operations: DocumentedOperation[], openapiSource: string): void {
  const unknown = policy.routes.filter((route) => operationsUnder(route, operations).length === 0);
  if (unknown.length === 0) return;
  throw new ConfigError(
    `${policy.source}: unknown route${unknown.length === 1 ? '' : 's'}: ${unknown
      .map((r) => `"${r.name}" (${r.methods.join(',')} ${r.path})`)
      .join(', ')} cover${unknown.length === 1 ? 's' : ''} no operation documented in ${openapiSource}`,
    { details: { file: policy.source, openapi: openapiSource, routes: unknown.map((r) => r.name) } },
  );
}
