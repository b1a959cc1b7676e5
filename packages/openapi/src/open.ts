import { OpenApiDocument } from './document.js';
import { readOpenApi, type LoadOpenApiOptions } from './load.js';

/**
 * Loads an OpenAPI 3.0 or 3.1 document (YAML or JSON; a file path, a URL, the text, or a parsed
 * object), bundles multi-file `$ref`s into one document and indexes its operations. Schemas are
 * compiled lazily, on first use. Swagger 2.0 is refused.
 *
 * @throws OpenApiError (`CUTOVER_OPENAPI_INVALID`) naming the file and JSON pointer at fault.
 * @example
 * const doc = await loadOpenApi('contracts/openapi/logistics.yaml');
 * const found = doc.findOperation('GET', '/shipments/42');
 */
export async function loadOpenApi(source: string | object, options: LoadOpenApiOptions = {}): Promise<OpenApiDocument> {
  const { document, source: label } = await readOpenApi(source, options);
  return new OpenApiDocument(document, {
    source: label,
    ...(options.basePath === undefined ? {} : { basePath: options.basePath }),
  });
}
