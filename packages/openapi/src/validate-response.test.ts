import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SchemaViolation } from '@cutover/core';
import { loadOpenApi, type OpenApiDocument } from './index.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./__fixtures__/${name}`, import.meta.url));
const brief = (violations: SchemaViolation[]): string[][] => violations.map((v) => [v.code, v.instancePath, v.rule]);
const json = 'application/json';

const shipment = {
  id: 1,
  reference: 'SH-1',
  weight: 2.5,
  note: null,
  status: null,
  carrier: null,
  createdAt: '2024-01-31T10:00:00Z',
  parcel: { kind: 'box', width: 3 },
  tags: ['a'],
  metadata: { k: 'v' },
};

let doc: OpenApiDocument;
let catalog: OpenApiDocument;
beforeAll(async () => {
  doc = await loadOpenApi(fixture('shipments-3.0.yaml'), { validate: false });
  catalog = await loadOpenApi(fixture('catalog-3.1.yaml'), { validate: false });
});

const get = (body: unknown, status = 200): SchemaViolation[] =>
  doc.validateResponse({ method: 'GET', path: '/v1/shipments/1' }, { status, body, contentType: json });

describe('validateResponse: status, content type, headers', () => {
  it('accepts a documented status with a valid body', () => {
    expect(get(shipment)).toEqual([]);
  });

  it('matches 4XX ranges, warns on default, and rejects undocumented statuses', () => {
    const list = { method: 'GET', path: '/v1/shipments' };
    expect(
      doc.validateResponse(list, { status: 422, body: { title: 'bad' }, contentType: 'application/problem+json' }),
    ).toEqual([]);
    const fallback = doc.validateResponse(list, { status: 503, body: { title: 'down' }, contentType: json });
    expect(brief(fallback)).toEqual([['response.status.default', 'status', 'status']]);
    expect(fallback[0]!.severity).toBe('warning');
    const undocumented = get(undefined, 500);
    expect(brief(undocumented)).toEqual([['response.status.undocumented', 'status', 'status']]);
    expect(undocumented[0]!.message).toMatch(
      /status 500 is not documented for GET \/shipments\/\{id\} \(documented: 200, 404\)/,
    );
  });

  it('rejects an undocumented content type and a body where none is documented', () => {
    const wrongType = doc.validateResponse(
      { method: 'GET', path: '/v1/shipments/1' },
      { status: 200, body: 'x', headers: { 'Content-Type': 'text/html' } },
    );
    expect(brief(wrongType)).toEqual([['response.content-type.undocumented', 'header/content-type', 'content']]);
    const noBody = get({ message: 'gone' }, 404);
    expect(brief(noBody)).toEqual([['response.content-type.undocumented', 'header/content-type', 'content']]);
    expect(get(undefined, 404)).toEqual([]);
  });

  it('checks documented response headers, and can skip required ones a pact does not list', () => {
    const list = { method: 'GET', path: '/v1/shipments' };
    expect(brief(doc.validateResponse(list, { status: 200, body: [], contentType: json }))).toEqual([
      ['response.header.missing', 'header/X-Total', 'required'],
    ]);
    expect(
      doc.validateResponse(list, { status: 200, body: [], contentType: json }, { requireDocumentedHeaders: false }),
    ).toEqual([]);
    expect(
      brief(doc.validateResponse(list, { status: 200, body: [], contentType: json, headers: { 'x-total': 'many' } })),
    ).toEqual([['response.header.invalid', 'header/X-Total', 'type']]);
    expect(
      doc.validateResponse(list, { status: 200, body: [], contentType: json, headers: { 'X-Total': '3' } }),
    ).toEqual([]);
  });

  it('reports an unknown operation for the response too', () => {
    expect(brief(doc.validateResponse({ method: 'GET', path: '/elsewhere' }, { status: 200 }))).toEqual([
      ['request.path-or-method.unknown', 'path', 'path'],
    ]);
  });
});

describe('validateResponse: OpenAPI 3.0 schema semantics', () => {
  it('names the payload location, the document location, the rule and a plain sentence', () => {
    const [violation] = get({ ...shipment, reference: 'X-1' });
    expect(violation).toEqual({
      code: 'response.body.incompatible',
      severity: 'error',
      on: 'response',
      instancePath: '/reference',
      schemaPath: '#/components/schemas/Shipment/properties/reference/pattern',
      rule: 'pattern',
      message: 'response body at /reference must match pattern "^SH-[0-9]+$", found "X-1"',
    });
  });

  it('allows null where nullable is set: with a type, with an enum, and around allOf', () => {
    expect(get({ ...shipment, note: null, status: null, carrier: null })).toEqual([]);
    expect(brief(get({ ...shipment, reference: null }))).toEqual([
      ['response.body.incompatible', '/reference', 'type'],
    ]);
    expect(brief(get({ ...shipment, status: 'lost' }))).toEqual([['response.body.incompatible', '/status', 'enum']]);
  });

  it('still validates a nullable allOf/$ref value that is not null, without noise from the null branch', () => {
    const violations = get({ ...shipment, carrier: {} });
    expect(brief(violations)).toEqual([['response.body.incompatible', '/carrier/code', 'required']]);
    expect(violations[0]!.schemaPath).toBe('#/components/schemas/Carrier/required');
  });

  it('treats boolean exclusiveMinimum as 3.0 defines it', () => {
    expect(brief(get({ ...shipment, weight: 0 }))).toEqual([
      ['response.body.incompatible', '/weight', 'exclusiveMinimum'],
    ]);
  });

  it('rejects writeOnly properties in a response and does not require readOnly ones to be absent', () => {
    const violations = get({ ...shipment, secret: 's' });
    expect(brief(violations)).toEqual([['response.body.incompatible', '/secret', 'writeOnly']]);
    expect(violations[0]!.message).toMatch(/writeOnly and must not appear in a response/);
  });

  it('dispatches on the discriminator through explicit and short mapping names', () => {
    expect(get({ ...shipment, parcel: { kind: 'env', sealed: true } })).toEqual([]);
    const wrongBranch = get({ ...shipment, parcel: { kind: 'env', width: 3 } });
    expect(brief(wrongBranch)).toEqual([['response.body.incompatible', '/parcel/sealed', 'required']]);
    expect(wrongBranch[0]!.schemaPath).toBe('#/components/schemas/Envelope/required');
    const unknownKind = get({ ...shipment, parcel: { kind: 'crate' } });
    expect(brief(unknownKind)).toEqual([['response.body.incompatible', '/parcel/kind', 'enum']]);
    expect(unknownKind[0]!.schemaPath).toBe('#/components/schemas/Parcel/discriminator/propertyName/enum');
  });

  it('checks formats (date-time, int64) and tolerates example and x- keywords', () => {
    expect(brief(get({ ...shipment, createdAt: 'yesterday' }))).toEqual([
      ['response.body.incompatible', '/createdAt', 'format'],
    ]);
    expect(brief(get({ ...shipment, id: 1.5 }))).toEqual([
      ['response.body.incompatible', '/id', 'type'],
      ['response.body.incompatible', '/id', 'format'],
    ]);
  });

  it('ignores formats it does not know instead of failing', async () => {
    const custom = await loadOpenApi(
      {
        openapi: '3.0.3',
        info: { title: 'x', version: '1' },
        paths: {
          '/a': {
            get: {
              responses: {
                '200': {
                  description: 'ok',
                  content: {
                    'application/json': { schema: { type: 'string', format: 'shipment-reference', maxLength: 3 } },
                  },
                },
              },
            },
          },
        },
      },
      { validate: false },
    );
    const check = (body: unknown) =>
      custom.validateResponse({ method: 'GET', path: '/a' }, { status: 200, body, contentType: json });
    expect(check('abc')).toEqual([]);
    expect(brief(check('abcd'))).toEqual([['response.body.incompatible', '', 'maxLength']]);
  });

  it('enforces required properties of live responses unless the body is declared partial', () => {
    const target = { method: 'GET', path: '/v1/shipments/1' };
    const partial = { status: 200, body: { reference: 'SH-1', carrier: {} }, contentType: json };
    expect(brief(doc.validateResponse(target, partial))).toEqual([
      ['response.body.incompatible', '/id', 'required'],
      ['response.body.incompatible', '/weight', 'required'],
      ['response.body.incompatible', '/carrier/code', 'required'],
    ]);
    expect(doc.validateResponse(target, partial, { partialBody: true })).toEqual([]);
  });

  it('validates recursive schemas', async () => {
    const tree = await loadOpenApi(
      {
        openapi: '3.0.3',
        info: { title: 'x', version: '1' },
        paths: {
          '/tree': {
            get: {
              responses: {
                '200': {
                  description: 'ok',
                  content: { 'application/json': { schema: { $ref: '#/components/schemas/Node' } } },
                },
              },
            },
          },
        },
        components: {
          schemas: {
            Node: {
              type: 'object',
              required: ['name'],
              properties: {
                name: { type: 'string' },
                children: { type: 'array', items: { $ref: '#/components/schemas/Node' } },
              },
            },
          },
        },
      },
      { validate: false },
    );
    const check = (body: unknown) =>
      tree.validateResponse({ method: 'GET', path: '/tree' }, { status: 200, body, contentType: json });
    expect(check({ name: 'a', children: [{ name: 'b', children: [{ name: 'c' }] }] })).toEqual([]);
    expect(brief(check({ name: 'a', children: [{ name: 'b', children: [{}] }] }))).toEqual([
      ['response.body.incompatible', '/children/0/children/0/name', 'required'],
    ]);
  });

  it('never modifies the payload it validates', () => {
    const payload = structuredClone({ ...shipment, secret: 's', extra: { nested: [1, 2] }, carrier: {} });
    const before = structuredClone(payload);
    const frozen = deepFreeze(structuredClone(payload));
    get(payload);
    get(frozen);
    doc.validateRequest({ method: 'POST', path: '/v1/shipments', body: payload, contentType: json });
    expect(payload).toEqual(before);
  });

  it('compiles each schema once, on first use', async () => {
    const fresh = await loadOpenApi(fixture('shipments-3.0.yaml'), { validate: false });
    expect(fresh.compiledSchemas).toBe(0);
    fresh.validateResponse(
      { method: 'GET', path: '/v1/shipments/1' },
      { status: 200, body: shipment, contentType: json },
    );
    const afterFirst = fresh.compiledSchemas;
    expect(afterFirst).toBe(1);
    fresh.validateResponse(
      { method: 'GET', path: '/v1/shipments/2' },
      { status: 200, body: shipment, contentType: json },
    );
    expect(fresh.compiledSchemas).toBe(afterFirst);
  });
});

describe('validateResponse: OpenAPI 3.1 (JSON Schema 2020-12)', () => {
  const item = { sku: 'abc', price: null, kind: 'item', dims: [1, 2], attrs: { colour: 'red' } };
  const check = (body: unknown): SchemaViolation[] =>
    catalog.validateResponse({ method: 'GET', path: '/api/v2/items/abc' }, { status: 200, body, contentType: json });

  it('accepts type arrays with null, const, prefixItems and $defs references', () => {
    expect(check(item)).toEqual([]);
  });

  it('applies 2020-12 keywords', () => {
    expect(brief(check({ ...item, kind: 'other' }))).toEqual([['response.body.incompatible', '/kind', 'const']]);
    expect(brief(check({ ...item, dims: [1, 2, 3] }))).toEqual([['response.body.incompatible', '/dims', 'items']]);
    expect(brief(check({ ...item, attrs: { colour: 'blue' } }))).toEqual([
      ['response.body.incompatible', '/attrs/colour', 'enum'],
    ]);
    expect(brief(check({ ...item, surprise: 1 }))).toEqual([
      ['response.body.incompatible', '/surprise', 'unevaluatedProperties'],
    ]);
    expect(brief(check({ ...item, price: 0 }))).toEqual([['response.body.incompatible', '/price', 'exclusiveMinimum']]);
  });

  it('rejects writeOnly properties in 3.1 responses too', () => {
    expect(brief(check({ ...item, secret: 'x' }))).toEqual([['response.body.incompatible', '/secret', 'writeOnly']]);
  });
});

describe('validateResponse: JSON Schema dialect keywords in OpenAPI 3.1', () => {
  const documentWith = (schema: object): object => ({
    openapi: '3.1.0',
    info: { title: 't', version: '1' },
    paths: {
      '/things': {
        get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema } } } } },
      },
    },
    components: {
      schemas: {
        tree: {
          $dynamicAnchor: 'node',
          type: 'object',
          properties: { name: { type: 'string' }, children: { type: 'array', items: { $dynamicRef: '#node' } } },
        },
      },
    },
  });
  const check = async (schema: object, body: unknown): Promise<string[][]> => {
    const target = await loadOpenApi(documentWith(schema), { validate: false });
    return brief(target.validateResponse({ method: 'GET', path: '/things' }, { status: 200, body, contentType: json }));
  };

  it('validates a schema that names its dialect ($schema) and one that recurses through $dynamicRef', async () => {
    const named = { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', required: ['a'] };
    expect(await check(named, { a: 1 })).toEqual([]);
    expect(await check(named, {})).toEqual([['response.body.incompatible', '/a', 'required']]);
    const tree = { $ref: '#/components/schemas/tree' };
    expect(await check(tree, { name: 'a', children: [{ name: 'b', children: [] }] })).toEqual([]);
    expect(await check(tree, { name: 'a', children: [{ name: 2 }] })).toEqual([
      ['response.body.incompatible', '/children/0/name', 'type'],
    ]);
  });

  it('refuses a $ref to the JSON Schema meta-schema as the remote $ref it is', async () => {
    await expect(
      loadOpenApi(documentWith({ $ref: 'https://json-schema.org/draft/2020-12/schema' }), { validate: false }),
    ).rejects.toThrow(/the \$ref at .* to https:\/\/json-schema\.org\/draft\/2020-12\/schema is refused/);
  });
});

describe('validateResponse: nullable is not a keyword in OpenAPI 3.1', () => {
  const withNullable = (openapi: string): object => ({
    openapi,
    info: { title: 't', version: '1' },
    paths: {
      '/things': {
        get: {
          responses: {
            '200': {
              description: 'ok',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: {
                      c: { type: 'string', nullable: true },
                      // Without `type`, ajv's built-in nullable would refuse to compile at all.
                      d: { nullable: true, minLength: 2 },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  });
  const check = (target: OpenApiDocument, body: unknown): string[][] =>
    brief(target.validateResponse({ method: 'GET', path: '/things' }, { status: 200, body, contentType: json }));

  it('reports null for a 3.1 `type: string, nullable: true` property as a type violation', async () => {
    const v31 = await loadOpenApi(withNullable('3.1.0'), { validate: false });
    expect(check(v31, { c: null })).toEqual([['response.body.incompatible', '/c', 'type']]);
    expect(check(v31, { c: 'x', d: 'ab' })).toEqual([]);
    expect(check(v31, { d: 'a' })).toEqual([['response.body.incompatible', '/d', 'minLength']]);
    // No type: null is simply not a string, so minLength does not apply.
    expect(check(v31, { d: null })).toEqual([]);
  });

  it('still accepts null for the same schema in a 3.0 document', async () => {
    const v30 = await loadOpenApi(withNullable('3.0.3'), { validate: false });
    expect(check(v30, { c: null })).toEqual([]);
    expect(check(v30, { c: 1 })).toEqual([['response.body.incompatible', '/c', 'type']]);
  });
});

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

describe('validateResponse: patterns run on the linear-time engine', () => {
  const withPattern = (pattern: string) =>
    loadOpenApi(
      {
        openapi: '3.0.3',
        info: { title: 't', version: '1' },
        paths: {
          '/p': {
            get: {
              responses: {
                '200': {
                  description: 'ok',
                  content: { [json]: { schema: { type: 'object', properties: { v: { type: 'string', pattern } } } } },
                },
              },
            },
          },
        },
      },
      { validate: false },
    );
  const check = (d: OpenApiDocument, v: string) =>
    d.validateResponse({ method: 'GET', path: '/p' }, { status: 200, body: { v }, contentType: json });

  it('judges (a+)+$ against 33 characters at once', async () => {
    const d = await withPattern('(a+)+$');
    const started = performance.now();
    expect(check(d, `${'a'.repeat(33)}!`).map((v) => v.rule)).toEqual(['pattern']);
    expect(check(d, 'xaa')).toEqual([]);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('refuses a lookahead with CUTOVER_REGEX_UNSUPPORTED naming the schema and the pattern', async () => {
    const d = await withPattern('^(?=.*\\d).+$');
    expect(() => check(d, 'a1')).toThrow(
      expect.objectContaining({
        code: 'CUTOVER_REGEX_UNSUPPORTED',
        message: expect.stringMatching(
          /^cannot compile the schema at .*: the pattern "\^\(\?=\.\*\\\\d\)\.\+\$" uses a lookahead/,
        ),
      }),
    );
  });
});

describe('validateResponse: messages quote the document briefly', () => {
  it('shows at most 10 enum values, each cut, and a const value cut, never the whole value', async () => {
    const long = (i: number): string => `${i}-${'x'.repeat(500)}`;
    const allowed = Array.from({ length: 50 }, (_, i) => long(i));
    const document = {
      openapi: '3.1.0',
      info: { title: 'x', version: '1' },
      paths: {
        '/a': {
          get: {
            responses: {
              '200': {
                description: 'ok',
                content: {
                  [json]: {
                    schema: {
                      type: 'object',
                      properties: { e: { enum: allowed }, c: { const: long(99) } },
                    },
                  },
                },
              },
            },
          },
        },
      },
    };
    const checked = await loadOpenApi(document);
    const [onEnum, onConst] = checked.validateResponse(
      { method: 'GET', path: '/a' },
      { status: 200, body: { e: 'nope', c: 'nope' }, contentType: json },
    );
    expect(onEnum!.message).toMatch(
      /^response body at \/e must be one of "0-x+…, "1-x+…, .* \(and 40 more\), found "nope"$/,
    );
    expect(onEnum!.message.length).toBeLessThan(800);
    expect(onEnum!.message).not.toContain('x'.repeat(100));
    expect(onConst!.message).toMatch(/^response body at \/c must be "99-x+…, found "nope"$/);
    expect(onConst!.message.length).toBeLessThan(120);
  });
});
