import { resolve } from 'node:path';
import type { SchemaViolation } from '@cutover/core';
import type { RequestToValidate, ResponseToValidate } from '@cutover/openapi';

/** A request as the schema step sees it (after generators, before target-specific changes). */
export type SchemaRequest = RequestToValidate & { method: string; path: string };

/** A response as the schema step sees it. */
export type SchemaResponse = ResponseToValidate;

/**
 * The OpenAPI step, behind a small interface: the verifier asks only for violations (and, when
 * the document knows it, the route template of a request).
 */
export interface SchemaChecker {
  source: string;
  validateRequest(request: SchemaRequest): SchemaViolation[] | Promise<SchemaViolation[]>;
  validateResponse(request: SchemaRequest, response: SchemaResponse): SchemaViolation[] | Promise<SchemaViolation[]>;
  routeTemplate?(method: string, path: string): string | undefined;
}

/**
 * Loads an OpenAPI document with @cutover/openapi and adapts it to {@link SchemaChecker}. Responses
 * come from real servers, so documented required headers are checked too.
 */
export async function loadSchemaChecker(
  source: string,
  cwd: string,
  refs: { refRoot?: string; allowRemoteRefs?: boolean } = {},
): Promise<SchemaChecker> {
  const location = /^https?:\/\//.test(source) ? source : resolve(cwd, source);
  // Loaded on demand: the OpenAPI engine (swagger-parser, ajv) is heavy and most runs have no document.
  const { loadOpenApi } = await import('@cutover/openapi');
  const doc = await loadOpenApi(location, { baseDir: cwd, ...refs });
  return {
    source: location,
    validateRequest: (request) => doc.validateRequest(request),
    validateResponse: (request, response) =>
      doc.validateResponse({ method: request.method, path: request.path }, response),
    routeTemplate: (method, path) => {
      const found = doc.findOperation(method, path);
      return found.kind === 'not-found' ? undefined : found.pathTemplate;
    },
  };
}
