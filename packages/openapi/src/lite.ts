/**
 * @cutover/openapi/lite — what needs no OpenAPI engine (swagger-parser, ajv): the documented
 * operations as a gateway sees them, and the core model's messages as the validator takes them.
 * For start-up-sensitive callers (the gate, the verifier) that load the engine only on demand.
 */
import { readOpenApi, type LoadOpenApiOptions } from './load.js';
import { OperationIndex, type OperationInfo } from './operations.js';

export { documentedOperations, exercises, type DocumentedOperation, type ExercisingRequest } from './documented.js';
export { fromHttpRequest, fromHttpResponse } from './convert.js';
export type { LoadOpenApiOptions } from './load.js';
export type { OperationInfo } from './operations.js';

/**
 * The operations of an OpenAPI document, read and checked as {@link loadOpenApi} does (same
 * options, same errors) but without building the schema validator: for callers that route, not
 * validate (the gate's documented operations).
 *
 * @example
 * const { operations } = await loadOpenApiOperations('contracts/openapi/logistics.yaml');
 */
export async function loadOpenApiOperations(
  source: string | object,
  options: LoadOpenApiOptions = {},
): Promise<{ source: string; operations: readonly OperationInfo[] }> {
  const read = await readOpenApi(source, options);
  return { source: read.source, operations: new OperationIndex(read.document, options.basePath).operations };
}
