import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseYaml } from '@cutover/core';
import { checkMetaSchema, type MetaSchemaError } from './meta-schema.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const fixture = (name: string): string => fileURLToPath(new URL(`./__fixtures__/${name}`, import.meta.url));

// swagger-parser's own meta-schema check, which the precompiled validators must agree with.
const swaggerParserCheck = createRequire(import.meta.url)('@apidevtools/swagger-parser/lib/validators/schema.js') as (
  api: object,
) => void;
function swaggerParserErrors(document: object): MetaSchemaError[] {
  try {
    swaggerParserCheck(structuredClone(document));
    return [];
  } catch (error) {
    return (error as { details: MetaSchemaError[] }).details;
  }
}

async function document(name: string): Promise<Record<string, unknown>> {
  return parseYaml(await readFile(fixture(name), 'utf8'), { source: name }) as Record<string, unknown>;
}

/** Valid documents broken in ways the meta-schema catches: wrong types, unknown and missing properties. */
function broken(valid: Record<string, unknown>): Record<string, unknown>[] {
  const copy = (): Record<string, unknown> => structuredClone(valid);
  const noInfoTitle = copy();
  delete (noInfoTitle.info as Record<string, unknown>).title;
  const unknownTop = { ...copy(), extra: true };
  const badPaths = { ...copy(), paths: { 'no-slash': { get: { responses: 'none' } } } };
  const badOperation = copy();
  const firstPath = Object.values(badOperation.paths as Record<string, Record<string, unknown>>)[0]!;
  firstPath.get = { responses: { '200': { description: 7 } }, parameters: [{ name: 'x' }] };
  return [noInfoTitle, unknownTop, badPaths, badOperation, { openapi: valid.openapi }];
}

describe('the precompiled OpenAPI meta-schema check', () => {
  it('is what scripts/generate-validators.mjs generates from the installed ajv and schemas', async () => {
    const { stderr } = await promisify(execFile)(process.execPath, ['scripts/generate-validators.mjs', '--check'], {
      cwd: root,
    }).catch((error: { stderr: string }) => ({ stderr: error.stderr || String(error) }));
    expect(stderr).toBe('');
  });

  for (const name of ['shipments-3.0.yaml', 'catalog-3.1.yaml']) {
    it(`accepts ${name} and reports the same errors as swagger-parser for broken copies of it`, async () => {
      const valid = await document(name);
      expect(await checkMetaSchema(valid as { openapi: string })).toEqual([]);
      for (const doc of broken(valid)) {
        const expected = swaggerParserErrors(doc);
        expect(expected.length).toBeGreaterThan(0);
        expect(await checkMetaSchema(doc as { openapi: string })).toEqual(expected);
      }
    });
  }
});
