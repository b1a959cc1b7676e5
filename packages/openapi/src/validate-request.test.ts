import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SchemaViolation } from '@cutover/core';
import { loadOpenApi, type OpenApiDocument } from './index.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./__fixtures__/${name}`, import.meta.url));
const brief = (violations: SchemaViolation[]): string[][] => violations.map((v) => [v.code, v.instancePath, v.rule]);

const tenant = { 'X-Tenant': '3f6c2a4e-8d1b-4c1e-9a7f-2b5d8e0c1a9b' };
let doc: OpenApiDocument;
let catalog: OpenApiDocument;
beforeAll(async () => {
  doc = await loadOpenApi(fixture('shipments-3.0.yaml'), { validate: false });
  catalog = await loadOpenApi(fixture('catalog-3.1.yaml'), { validate: false });
});

describe('validateRequest: operation and parameters', () => {
  it('reports an unknown path or method as request.path-or-method.unknown', () => {
    expect(brief(doc.validateRequest({ method: 'GET', path: '/v1/nowhere' }))).toEqual([
      ['request.path-or-method.unknown', 'path', 'path'],
    ]);
    expect(brief(doc.validateRequest({ method: 'PUT', path: '/v1/shipments' }))).toEqual([
      ['request.path-or-method.unknown', 'method', 'method'],
    ]);
  });

  it('accepts a valid request and reads numbers, arrays and objects from strings per parameter style', () => {
    const violations = doc.validateRequest({
      method: 'GET',
      path: '/v1/shipments?limit=10&status=new&status=sent&ids=1|2|3&filter[from]=2024-01-31',
      headers: tenant,
      cookies: { session: 'abc' },
    });
    expect(violations).toEqual([]);
  });

  it('reports each broken parameter with its location, the rule and the document pointer', () => {
    const violations = doc.validateRequest({
      method: 'GET',
      path: '/v1/shipments',
      query: { limit: '0', status: ['new', 'lost'], ids: '1|x', 'filter[from]': 'yesterday' },
      headers: { 'x-tenant': 'not-a-uuid', cookie: 'session=a' },
    });
    expect(brief(violations)).toEqual([
      ['request.parameter.invalid', 'query/limit', 'minimum'],
      ['request.parameter.invalid', 'query/status/1', 'enum'],
      ['request.parameter.invalid', 'query/ids/1', 'type'],
      ['request.parameter.invalid', 'query/filter/from', 'format'],
      ['request.parameter.invalid', 'header/X-Tenant', 'format'],
      ['request.parameter.invalid', 'cookie/session', 'minLength'],
    ]);
    expect(violations[0]!.schemaPath).toBe('#/paths/~1shipments/get/parameters/0/schema/minimum');
    expect(violations[0]!.message).toBe('query parameter "limit" must be >= 1, found 0');
  });

  it('reports a missing required parameter', () => {
    const violations = doc.validateRequest({ method: 'GET', path: '/v1/shipments' });
    expect(brief(violations)).toEqual([['request.parameter.missing', 'header/X-Tenant', 'required']]);
    expect(violations[0]!.schemaPath).toBe('#/paths/~1shipments/get/parameters/4/required');
  });

  it('validates path parameters declared on the path item, including int64 format', () => {
    expect(doc.validateRequest({ method: 'GET', path: '/v1/shipments/12' })).toEqual([]);
    expect(brief(doc.validateRequest({ method: 'GET', path: '/v1/shipments/1.5' }))).toEqual([
      ['request.parameter.invalid', 'path/id', 'type'],
      ['request.parameter.invalid', 'path/id', 'format'],
    ]);
    expect(brief(doc.validateRequest({ method: 'GET', path: '/v1/files/a.doc' }))).toEqual([
      ['request.parameter.invalid', 'path/ext', 'enum'],
    ]);
    // The extension is what follows the last dot, so a dotted name is no false error.
    expect(doc.validateRequest({ method: 'GET', path: '/v1/files/report.v2.pdf' })).toEqual([]);
  });

  it('parses JSON-content query parameters (3.1 document)', () => {
    expect(
      catalog.validateRequest({ method: 'GET', path: '/api/v2/items/abc', query: { where: '{"lat":1.5}' } }),
    ).toEqual([]);
    expect(
      brief(catalog.validateRequest({ method: 'GET', path: '/api/v2/items/abc', query: { where: '{"lon":1}' } })),
    ).toEqual([['request.parameter.invalid', 'query/where/lat', 'required']]);
    expect(brief(catalog.validateRequest({ method: 'GET', path: '/api/v2/items/abc', query: { where: '{' } }))).toEqual(
      [['request.parameter.invalid', 'query/where', 'json']],
    );
  });
});

describe('validateRequest: body', () => {
  const shipment = { reference: 'SH-1', weight: 1.5 };

  it('accepts a valid JSON body, given as a value or as raw bytes', () => {
    expect(
      doc.validateRequest({ method: 'POST', path: '/v1/shipments', body: shipment, contentType: 'application/json' }),
    ).toEqual([]);
    expect(
      doc.validateRequest({
        method: 'POST',
        path: '/v1/shipments',
        body: Buffer.from(JSON.stringify(shipment)),
        headers: { 'Content-Type': 'application/json; charset=utf-8' },
      }),
    ).toEqual([]);
  });

  it('rejects readOnly properties in a request, but does not require them', () => {
    const violations = doc.validateRequest({
      method: 'POST',
      path: '/v1/shipments',
      body: { ...shipment, id: 7 },
      contentType: 'application/json',
    });
    expect(brief(violations)).toEqual([['request.body.invalid', '/id', 'readOnly']]);
    expect(violations[0]!.schemaPath).toBe('#/components/schemas/Shipment/properties/id/readOnly');
  });

  it('accepts writeOnly properties in a request', () => {
    expect(
      doc.validateRequest({
        method: 'POST',
        path: '/v1/shipments',
        body: { ...shipment, secret: 's' },
        contentType: 'application/json',
      }),
    ).toEqual([]);
  });

  it('reports a missing required body, an undocumented body and an undocumented content type', () => {
    expect(brief(doc.validateRequest({ method: 'POST', path: '/v1/shipments' }))).toEqual([
      ['request.body.missing', '', 'required'],
    ]);
    expect(brief(doc.validateRequest({ method: 'GET', path: '/v1/shipments/1', body: { a: 1 } }))).toEqual([
      ['request.body.undocumented', '', 'requestBody'],
    ]);
    expect(
      brief(
        doc.validateRequest({ method: 'POST', path: '/v1/shipments', body: '<x/>', contentType: 'application/xml' }),
      ),
    ).toEqual([['request.content-type.undocumented', 'header/content-type', 'content']]);
  });

  it('reports raw bytes of a JSON body that are not JSON, and treats a string as a JSON string value', () => {
    const violations = doc.validateRequest({
      method: 'POST',
      path: '/v1/shipments',
      body: Buffer.from('{"reference":'),
      contentType: 'application/json',
    });
    expect(brief(violations)).toEqual([['request.body.invalid', '', 'json']]);
    const text = doc.validateRequest({
      method: 'POST',
      path: '/v1/shipments',
      body: '{"reference":"SH-1","weight":1}',
      contentType: 'application/json',
    });
    expect(brief(text)).toEqual([['request.body.invalid', '', 'type']]);
  });

  it('validates form-encoded bodies field by field', () => {
    const form = 'application/x-www-form-urlencoded';
    expect(
      doc.validateRequest({
        method: 'POST',
        path: '/v1/shipments',
        body: 'reference=SH-2&weight=2.5',
        contentType: form,
      }),
    ).toEqual([]);
    expect(
      brief(doc.validateRequest({ method: 'POST', path: '/v1/shipments', body: 'weight=heavy', contentType: form })),
    ).toEqual([
      ['request.body.invalid', '/reference', 'required'],
      ['request.body.invalid', '/weight', 'type'],
    ]);
  });
});

describe('validateRequest: never modifies the request it validates', () => {
  const document = {
    openapi: '3.0.3',
    info: { title: 'orders', version: '1' },
    paths: {
      '/orders': {
        post: {
          parameters: [
            { name: 'limit', in: 'query', schema: { type: 'integer', default: 20 } },
            { name: 'page', in: 'query', schema: { type: 'integer', default: 1 } },
            { name: 'tags', in: 'query', explode: false, schema: { type: 'array', items: { type: 'string' } } },
            { name: 'X-Count', in: 'header', schema: { type: 'integer' } },
            { name: 'X-Mode', in: 'header', schema: { type: 'string', default: 'fast' } },
          ],
          requestBody: {
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  required: ['item'],
                  properties: {
                    item: { type: 'string' },
                    qty: { type: 'integer' },
                    priority: { type: 'string', default: 'normal' },
                    nested: {
                      type: 'object',
                      properties: { flag: { type: 'boolean' }, level: { type: 'integer', default: 1 } },
                    },
                  },
                },
              },
            },
          },
          responses: { '201': { description: 'created' } },
        },
      },
    },
  };
  // Strings where numbers/booleans are declared (coercible), defaults left out, an extra property.
  const request = () => ({
    method: 'POST',
    path: '/orders',
    query: { limit: '10', tags: 'a,b' },
    headers: { 'X-Count': '3' },
    body: { item: 'x', qty: '2', extra: 1, nested: { flag: 'true' } },
    contentType: 'application/json',
  });
  const expected = [
    ['request.body.invalid', '/extra', 'additionalProperties'],
    ['request.body.invalid', '/nested/flag', 'type'],
    ['request.body.invalid', '/qty', 'type'],
  ];
  const sorted = (violations: SchemaViolation[]): string[][] =>
    brief(violations).sort((a, b) => (a[1]! < b[1]! ? -1 : 1));

  it('adds no defaults, coerces nothing and removes nothing from query, headers or body', async () => {
    const orders = await loadOpenApi(document, { validate: false });
    const plain = request();
    const before = structuredClone(plain);
    expect(sorted(orders.validateRequest(plain))).toEqual(expected);
    expect(plain).toEqual(before);
    // A second pass sees the same payload, so it reports the same violations.
    expect(sorted(orders.validateRequest(plain))).toEqual(expected);
  });

  it('validates deep-frozen query, headers and body without writing to them', async () => {
    const orders = await loadOpenApi(document, { validate: false });
    const frozen = deepFreeze(request());
    expect(sorted(orders.validateRequest(frozen))).toEqual(expected);
    expect(frozen).toEqual(request());
  });
});

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
