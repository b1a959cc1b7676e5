import { CutoverError, ErrorCodes, type CutoverErrorOptions } from '@cutover/core';

/**
 * An OpenAPI document could not be loaded, is invalid, or holds a schema that cannot be compiled.
 * `details` carries `source` (file or URL) and, when known, `pointer` (JSON pointer in that file).
 *
 * @example
 * try { await loadOpenApi('openapi.yaml') }
 * catch (e) { if (e instanceof OpenApiError) console.error(e.details.source, e.details.pointer) }
 */
export class OpenApiError extends CutoverError {
  constructor(message: string, options: CutoverErrorOptions = {}) {
    super(ErrorCodes.OPENAPI_INVALID, message, options);
  }
}
