import { ConfigError } from '@cutover/core';
import {
  documentedOperations,
  loadOpenApiOperations,
  type DocumentedOperation,
  type LoadOpenApiOptions,
  type OperationInfo,
} from '@cutover/openapi/lite';
import type { Policy } from './policy.js';
import { templateUnderPattern } from './route-patterns.js';

export type { DocumentedOperation } from '@cutover/openapi/lite';

/** Turns an OpenAPI source (file or URL) into its operations: `@cutover/openapi`'s `loadOpenApiOperations` with the caller's options. */
export type OpenApiLoader = (source: string) => Promise<{ operations: readonly OperationInfo[] }>;

/**
 * A loader through `@cutover/openapi`'s `loadOpenApiOperations` (the document read and checked as
 * `loadOpenApi` does; by default `$ref`s confined to its folder and no remote `$ref`s). The gate
 * routes, it does not validate bodies: the schema engine (ajv) is never loaded.
 *
 * @example
 * await loadDocumentedOperations('api/openapi.yaml', openApiLoader({ refRoot: '.' }));
 */
export function openApiLoader(options: LoadOpenApiOptions = {}): OpenApiLoader {
  return (source) => loadOpenApiOperations(source, options);
}

/**
 * Loads the documented operations of an OpenAPI file, each under each of its base paths (see
 * `documentedOperations` of `@cutover/openapi`).
 *
 * @example
 * const ops = await loadDocumentedOperations('contracts/openapi/logistics.yaml');
 */
export async function loadDocumentedOperations(
  source: string,
  loader: OpenApiLoader = openApiLoader(),
): Promise<DocumentedOperation[]> {
  return documentedOperations(await loader(source));
}

/** The documented operations under a route (method, and the path a gateway sees within the pattern). */
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
