/**
 * @cutover/openapi/lite — what needs no OpenAPI engine (swagger-parser, ajv): the documented
 * operations as a gateway sees them, and the core model's messages as the validator takes them.
 * For start-up-sensitive callers (the gate, the verifier) that load the engine only on demand.
 */
export { documentedOperations, exercises, type DocumentedOperation, type ExercisingRequest } from './documented.js';
export { fromHttpRequest, fromHttpResponse } from './convert.js';
