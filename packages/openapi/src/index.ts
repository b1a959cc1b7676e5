/**
 * @cutover/openapi — load an OpenAPI 3.0/3.1 document, find operations for concrete requests,
 * validate requests and responses, and check pacts against the document.
 *
 * @example
 * import { loadOpenApi, checkPacts } from '@cutover/openapi';
 * const doc = await loadOpenApi('contracts/openapi/logistics.yaml');
 * const violations = doc.validateResponse({ method: 'GET', path: '/shipments/1' }, { status: 200, body, contentType: 'application/json' });
 */
// The document loader's coded error, where its users import it from.
export { OpenApiError } from '@cutover/core';
export { type LoadOpenApiOptions } from './load.js';
export { loadOpenApi } from './open.js';
export { loadOpenApiOperations } from './lite.js';
export {
  OpenApiDocument,
  type FoundOperation,
  type OperationInfo,
  type OperationLookup,
  type OperationNotFound,
  type RequestToValidate,
  type ResponseToValidate,
  type ValidateResponseOptions,
} from './document.js';
export { fromHttpRequest, fromHttpResponse } from './convert.js';
export { CHECK_FORMAT, checkPacts, type CheckFinding, type CheckReport, type OperationCoverage } from './check.js';
export { renderConsole, renderJson, renderJunit, renderMarkdown } from './report.js';
export { documentedOperations, exercises, type DocumentedOperation, type ExercisingRequest } from './documented.js';
