/**
 * The documented operations as a gateway sees them, and whether a request exercises one. Imports
 * nothing heavy (`@cutover/openapi/lite`).
 */
import { pathMatchesPattern } from '@cutover/core';
import type { OperationInfo } from './operations.js';

/** One documented operation under one of its base paths: `GET /v1/api/tracking/{id}`. */
export interface DocumentedOperation {
  /** Upper case: `GET`. */
  method: string;
  /** The path a gateway sees: the base path (servers' URL path, variables at their defaults) and the template. */
  path: string;
  /** As written under `paths`: `/api/tracking/{id}`. */
  template: string;
  operationId?: string;
}

/**
 * Every operation of a loaded document ({@link loadOpenApi}) under each of its base paths: the
 * operation's own `servers`, else its path item's, else the document's (no `servers`: the root).
 *
 * @example
 * documentedOperations(await loadOpenApi('api.yaml')) // [{ method: 'GET', path: '/v1/shipments/{id}', template: '/shipments/{id}' }]
 */
export function documentedOperations(doc: { operations: readonly OperationInfo[] }): DocumentedOperation[] {
  return doc.operations.flatMap((op) =>
    op.basePaths.map((base) => ({
      method: op.method,
      path: base + op.pathTemplate,
      template: op.pathTemplate,
      ...(op.operationId !== undefined ? { operationId: op.operationId } : {}),
    })),
  );
}

/** A request as `cutover verify` records it (`results[].route`): the concrete path, and the template it matched when verified with the document. */
export interface ExercisingRequest {
  method: string;
  path: string;
  template?: string;
}

/**
 * Whether a request exercises the operation: same method, a path under the operation's (base path
 * and template, a parameter taking one segment) and, when the request names the template the
 * document matched it to, that template (`/pets/mine` does not exercise `/pets/{id}`).
 */
export function exercises(op: DocumentedOperation, request: ExercisingRequest): boolean {
  return (
    request.method.toUpperCase() === op.method &&
    (request.template === undefined || request.template === op.template) &&
    pathMatchesPattern(op.path, request.path)
  );
}
