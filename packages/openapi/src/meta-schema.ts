/**
 * The OpenAPI 3.0/3.1 meta-schema check, with validators precompiled by
 * scripts/generate-validators.mjs from the very schemas, ajv and options of swagger-parser's own
 * check, so errors are those it would report without compiling the meta-schema on every run.
 */

/** One error of the meta-schema check (an ajv error object). */
export interface MetaSchemaError {
  instancePath: string;
  keyword: string;
  message?: string;
  params?: Record<string, unknown>;
}

type GeneratedValidator = ((data: unknown) => boolean) & { errors?: MetaSchemaError[] | null };

/**
 * Checks a bundled document (its `$ref`s in place, as the meta-schema allows) and resolves to its
 * errors, none when it is valid. `openapi` must already be a 3.0.x or 3.1.x version string. Each
 * version's validator is loaded on first use.
 */
export async function checkMetaSchema(document: { openapi: string }): Promise<MetaSchemaError[]> {
  const module = document.openapi.startsWith('3.1')
    ? await import('./generated/oas-3.1-schema.js')
    : await import('./generated/oas-3.0-schema.js');
  const validate = module.default as unknown as GeneratedValidator;
  return validate(document) ? [] : [...(validate.errors ?? [])];
}
