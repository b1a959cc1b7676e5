import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { body, interaction, message, pact } from './__fixtures__/pacts.js';
import { parsePact, type HttpInteraction } from '@cutover/core';
import {
  checkPacts,
  fromHttpRequest,
  fromHttpResponse,
  loadOpenApi,
  type CheckFinding,
  type OpenApiDocument,
} from './index.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./__fixtures__/${name}`, import.meta.url));
const brief = (findings: CheckFinding[]): string[][] => findings.map((f) => [f.code, f.instancePath, f.severity]);
const tenant = { 'X-Tenant': ['3f6c2a4e-8d1b-4c1e-9a7f-2b5d8e0c1a9b'] };
const shipment = { id: 1, reference: 'SH-1', weight: 2, parcel: { kind: 'box', width: 1 } };

let doc: OpenApiDocument;
beforeAll(async () => {
  doc = await loadOpenApi(fixture('shipments-3.0.yaml'), { validate: false });
});

const getShipment = (responseBody: unknown, status = 200) =>
  pact('web', [
    interaction(0, 'a shipment', { method: 'GET', path: '/v1/shipments/1' }, { status, body: body(responseBody) }),
  ]);

describe('checkPacts', () => {
  it('passes a pact whose interactions the document describes', () => {
    const report = checkPacts(doc, [getShipment(shipment)]);
    expect(report.findings).toEqual([]);
    // The fixture's /pets/{id} and /pets/{name} are a document-level warning, whatever the pacts.
    expect(report.summary).toEqual({ interactions: 1, checked: 1, skipped: 0, errors: 0, warnings: 1, ok: true });
    expect(report.document.map((w) => [w.code, w.severity, w.schemaPath])).toEqual([
      ['operation.ambiguous', 'warning', '#/paths/~1pets~1{id}'],
    ]);
  });

  it('reports a field the pact expects but the schema does not declare', () => {
    const report = checkPacts(doc, [
      getShipment({ ...shipment, legacyCode: 'x', parcel: { kind: 'box', width: 1, colour: 'red' } }),
    ]);
    expect(brief(report.findings)).toEqual([
      ['response.body.undeclared-field', '/parcel/colour', 'error'],
      ['response.body.undeclared-field', '/legacyCode', 'error'],
    ]);
    expect(report.findings[0]!.schemaPath).toBe('#/components/schemas/Parcel');
    expect(report.findings[1]!.message).toMatch(/has field \/legacyCode that the schema does not declare/);
    expect(report.findings[0]).toMatchObject({
      consumer: 'web',
      provider: 'logistics',
      interaction: { index: 0, description: 'a shipment' },
      request: { method: 'GET', path: '/v1/shipments/1' },
      operation: { method: 'GET', path: '/shipments/{id}', operationId: 'getShipment' },
    });
    expect(report.summary.ok).toBe(false);
  });

  it('treats fields of free-form objects and additionalProperties schemas as declared, and walks into arrays', () => {
    const list = pact('web', [
      interaction(
        0,
        'shipments',
        { method: 'GET', path: '/v1/shipments', headers: tenant },
        {
          status: 200,
          body: body([
            { ...shipment, metadata: { anything: 'goes' }, tags: ['a'] },
            { ...shipment, surprise: true },
          ]),
        },
      ),
    ]);
    expect(brief(checkPacts(doc, [list]).findings)).toEqual([
      ['response.body.undeclared-field', '/1/surprise', 'error'],
    ]);
  });

  it('follows the discriminator and allOf branches when deciding what is declared', () => {
    const report = checkPacts(doc, [
      getShipment({ ...shipment, carrier: { code: 'DHL', phone: '1' }, parcel: { kind: 'env', sealed: true } }),
    ]);
    expect(brief(report.findings)).toEqual([['response.body.undeclared-field', '/carrier/phone', 'error']]);
  });

  it('does not ask a pact to show required response fields the consumer does not use', () => {
    const partial = checkPacts(doc, [getShipment({ reference: 'SH-1', parcel: { kind: 'env' } })]);
    expect(partial.findings).toEqual([]);
    const wrongType = checkPacts(doc, [getShipment({ reference: 7 })]);
    expect(brief(wrongType.findings)).toEqual([['response.body.incompatible', '/reference', 'error']]);
  });

  it('still requires required fields in the request a pact sends', () => {
    const p = pact('web', [
      interaction(0, 'create', { method: 'POST', path: '/v1/shipments', body: body({ weight: 1 }) }, { status: 201 }),
    ]);
    expect(brief(checkPacts(doc, [p]).findings)).toEqual([['request.body.invalid', '/reference', 'error']]);
  });

  it('reports an example body the schema rejects as response.body.incompatible', () => {
    const report = checkPacts(doc, [getShipment({ ...shipment, weight: 'heavy' })]);
    expect(brief(report.findings)).toEqual([['response.body.incompatible', '/weight', 'error']]);
  });

  it('reports unknown operations, invalid requests, undocumented and default statuses, and undocumented content types', () => {
    const p = pact('mobile', [
      interaction(0, 'unknown path', { method: 'GET', path: '/v1/invoices' }, { status: 200 }),
      interaction(
        1,
        'bad parameter',
        { method: 'GET', path: '/v1/shipments', query: { limit: ['0'] }, headers: tenant },
        { status: 200, body: body([]) },
      ),
      interaction(
        2,
        'bad body',
        { method: 'POST', path: '/v1/shipments', body: body({ weight: 1 }) },
        { status: 201, body: body(shipment) },
      ),
      interaction(
        3,
        'server error',
        { method: 'GET', path: '/v1/shipments', headers: tenant },
        { status: 503, body: body({ title: 'down' }) },
      ),
      interaction(4, 'teapot', { method: 'GET', path: '/v1/shipments/1' }, { status: 418 }),
      interaction(
        5,
        'html',
        { method: 'GET', path: '/v1/shipments/1' },
        { status: 200, body: body('<p/>', 'text/html') },
      ),
    ]);
    const report = checkPacts(doc, [p]);
    expect(brief(report.findings)).toEqual([
      ['request.path-or-method.unknown', 'path', 'error'],
      ['request.parameter.invalid', 'query/limit', 'error'],
      ['request.body.invalid', '/reference', 'error'],
      ['response.status.default', 'status', 'warning'],
      ['response.status.undocumented', 'status', 'error'],
      ['response.content-type.undocumented', 'header/content-type', 'error'],
    ]);
    expect(report.summary).toMatchObject({ checked: 6, errors: 5, warnings: 2 });
  });

  it('does not require documented response headers the pact does not mention', () => {
    const p = pact('web', [
      interaction(
        0,
        'list',
        { method: 'GET', path: '/v1/shipments', headers: tenant },
        { status: 200, body: body([]) },
      ),
    ]);
    expect(checkPacts(doc, [p]).findings).toEqual([]);
  });

  it('reports an ambiguous route as a warning', () => {
    const p = pact('web', [interaction(0, 'pet', { method: 'GET', path: '/v1/pets/rex' }, { status: 200 })]);
    expect(brief(checkPacts(doc, [p]).findings)).toEqual([['operation.ambiguous', 'path', 'warning']]);
  });

  it('skips message interactions and lists documented operations no interaction exercises', () => {
    const report = checkPacts(doc, [getShipment(shipment), pact('events', [message(0, 'shipment sent')])]);
    expect(report.summary).toMatchObject({ interactions: 2, checked: 1, skipped: 1 });
    expect(report.coverage.operations).toBe(8);
    expect(report.coverage.covered).toBe(1);
    expect(report.coverage.uncovered.map((o) => `${o.method} ${o.path}`)).toContain('POST /shipments');
    expect(report.coverage.uncovered.map((o) => `${o.method} ${o.path}`)).not.toContain('GET /shipments/{id}');
    expect(report.coverage.byOperation.find((o) => o.operationId === 'getShipment')!.interactions).toBe(1);
  });
});

describe('pact model adapters', () => {
  it('reads v2 pacts through the core loader, query strings included', () => {
    const v2 = parsePact({
      consumer: { name: 'partner' },
      provider: { name: 'logistics' },
      interactions: [
        {
          description: 'a page of shipments',
          request: {
            method: 'GET',
            path: '/v1/shipments',
            query: 'limit=0&status=new',
            headers: { 'X-Tenant': tenant['X-Tenant'][0] },
          },
          response: { status: 200, headers: { 'Content-Type': 'application/json' }, body: [] },
        },
      ],
      metadata: { pactSpecification: { version: '2.0.0' } },
    });
    expect(brief(checkPacts(doc, [v2]).findings)).toEqual([['request.parameter.invalid', 'query/limit', 'error']]);
  });

  it('parses v4 bodies given as JSON text and leaves base64 bodies to their content type', () => {
    const jsonText = fromHttpResponse({
      status: 200,
      headers: {},
      body: { kind: 'present', content: '{"a":1}', contentType: 'application/json', encoded: 'json' },
      matchingRules: {},
      generators: {},
    });
    expect(Buffer.isBuffer(jsonText.body)).toBe(true);
    const p = pact('web', [
      interaction(0, 'text json', { method: 'GET', path: '/v1/shipments/1' }, { status: 200 }),
      interaction(1, 'pdf', { method: 'GET', path: '/v1/files/a.pdf' }, { status: 200 }),
    ]);
    p.interactions[0] = {
      ...(p.interactions[0] as HttpInteraction),
      response: {
        status: 200,
        headers: {},
        body: {
          kind: 'present',
          content: JSON.stringify({ ...shipment, weight: 'x' }),
          contentType: 'application/json',
          encoded: 'json',
        },
        matchingRules: {},
        generators: {},
      },
    };
    p.interactions[1] = {
      ...(p.interactions[1] as HttpInteraction),
      response: {
        status: 200,
        headers: {},
        body: {
          kind: 'present',
          content: Buffer.from('%PDF-1.4').toString('base64'),
          contentType: 'application/pdf',
          encoded: 'base64',
        },
        matchingRules: {},
        generators: {},
      },
    };
    expect(brief(checkPacts(doc, [p]).findings)).toEqual([['response.body.incompatible', '/weight', 'error']]);
  });

  it('takes the request content type from the headers when the body does not carry one', () => {
    const request = fromHttpRequest({
      method: 'POST',
      path: '/v1/shipments',
      query: {},
      headers: { 'Content-Type': ['application/x-www-form-urlencoded'] },
      body: { kind: 'present', content: 'reference=SH-1' },
      matchingRules: {},
      generators: {},
    });
    expect(request.contentType).toBe('application/x-www-form-urlencoded');
    expect(doc.validateRequest(request)).toEqual([]);
  });
});
