import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadOpenApi, type OpenApiDocument } from './index.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./__fixtures__/${name}`, import.meta.url));

let shipments: OpenApiDocument;
let catalog: OpenApiDocument;
beforeAll(async () => {
  shipments = await loadOpenApi(fixture('shipments-3.0.yaml'), { validate: false });
  catalog = await loadOpenApi(fixture('catalog-3.1.yaml'), { validate: false });
});

describe('findOperation', () => {
  it('strips the servers base path and extracts templated path parameters', () => {
    const found = shipments.findOperation('get', '/v1/shipments/42');
    expect(found).toMatchObject({
      kind: 'found',
      pathTemplate: '/shipments/{id}',
      params: { id: '42' },
      basePath: '/v1',
    });
    expect(found.kind !== 'not-found' && found.pointer).toBe('/paths/~1shipments~1{id}/get');
  });

  it('a segment that is one parameter takes any value but an empty one or one with a raw line break', () => {
    expect(shipments.findOperation('GET', '/v1/shipments/a%0Ab\r%C3%BC\u2028')).toMatchObject({
      kind: 'found',
      params: { id: 'a\nb\rü\u2028' },
    });
    expect(shipments.findOperation('GET', '/v1/shipments/a\nb')).toMatchObject({ kind: 'not-found', reason: 'path' });
    expect(shipments.findOperation('GET', '/v1/shipments/\n')).toMatchObject({ kind: 'not-found', reason: 'path' });
  });

  it('does not find a documented path outside the servers base path', () => {
    expect(shipments.findOperation('GET', '/shipments/42')).toMatchObject({ kind: 'not-found', reason: 'path' });
  });

  it('prefers a literal segment over a templated one', () => {
    expect(shipments.findOperation('GET', '/v1/shipments/latest')).toMatchObject({
      pathTemplate: '/shipments/latest',
      params: {},
    });
  });

  it('falls back to the templated path when the literal one lacks the method', () => {
    expect(shipments.findOperation('DELETE', '/v1/shipments/latest')).toMatchObject({
      kind: 'found',
      pathTemplate: '/shipments/{id}',
      params: { id: 'latest' },
    });
  });

  it('matches several parameters inside one segment, splitting {name}.{ext} at the last dot', () => {
    expect(shipments.findOperation('GET', '/v1/files/report.v2.pdf')).toMatchObject({
      pathTemplate: '/files/{name}.{ext}',
      params: { name: 'report.v2', ext: 'pdf' },
    });
    expect(shipments.findOperation('GET', '/v1/files/a.pdf')).toMatchObject({ params: { name: 'a', ext: 'pdf' } });
    expect(shipments.findOperation('GET', '/v1/files/noextension').kind).toBe('not-found');
  });

  it('lets earlier parameters of a segment take as much as the later literals allow', async () => {
    const archives = await loadOpenApi(
      {
        openapi: '3.0.3',
        info: { title: 't', version: '1' },
        paths: {
          '/archives/{name}.{ext}.{compression}': { get: { responses: { '200': { description: 'ok' } } } },
          '/v/{major}-{rest}': { get: { responses: { '200': { description: 'ok' } } } },
        },
      },
      { validate: false },
    );
    expect(archives.findOperation('GET', '/archives/backup.2024.tar.gz')).toMatchObject({
      params: { name: 'backup.2024', ext: 'tar', compression: 'gz' },
    });
    expect(archives.findOperation('GET', '/v/1-2-rc')).toMatchObject({ params: { major: '1-2', rest: 'rc' } });
  });

  it('reports templates that match equally as ambiguous and picks the first in the document', () => {
    const found = shipments.findOperation('GET', '/v1/pets/rex');
    expect(found.kind).toBe('ambiguous');
    if (found.kind === 'not-found') throw new Error('unreachable');
    expect(found.pathTemplate).toBe('/pets/{id}');
    expect(found.params).toEqual({ id: 'rex' });
    expect(found.candidates.map((c) => c.pathTemplate)).toEqual(['/pets/{name}']);
  });

  it('says which methods are documented when the path exists but the method does not', () => {
    const result = shipments.findOperation('PATCH', '/v1/shipments/1');
    expect(result).toMatchObject({ kind: 'not-found', reason: 'method', allowedMethods: ['DELETE', 'GET'] });
    expect(result.kind === 'not-found' && result.message).toMatch(/does not document PATCH/);
  });

  it('ignores a trailing slash and the query string, and percent-decodes parameters', () => {
    expect(shipments.findOperation('GET', '/v1/shipments/')).toMatchObject({ pathTemplate: '/shipments' });
    expect(shipments.findOperation('GET', '/v1/shipments?limit=1')).toMatchObject({ pathTemplate: '/shipments' });
    expect(shipments.findOperation('GET', '/v1/files/a%20b.pdf')).toMatchObject({
      params: { name: 'a b', ext: 'pdf' },
    });
  });

  it('reads a basePath option without a leading slash as rooted', async () => {
    const gateway = await loadOpenApi(fixture('shipments-3.0.yaml'), { validate: false, basePath: 'gw/' });
    expect(gateway.findOperation('GET', '/gw/shipments/1')).toMatchObject({ kind: 'found', basePath: '/gw' });
    expect(gateway.findOperation('GET', '/v1/shipments/1').kind).toBe('not-found');
  });

  it('honours server variables with an enum in the base path', () => {
    expect(catalog.findOperation('GET', '/api/v1/items/abc')).toMatchObject({ kind: 'found', basePath: '/api/v1' });
    expect(catalog.findOperation('GET', '/api/v2/items/abc')).toMatchObject({ kind: 'found', basePath: '/api/v2' });
    expect(catalog.findOperation('GET', '/api/v3/items/abc').kind).toBe('not-found');
  });

  it('lets the caller replace the base path the servers give', async () => {
    const doc = await loadOpenApi(fixture('shipments-3.0.yaml'), { validate: false, basePath: '/gateway/logistics' });
    expect(doc.findOperation('GET', '/gateway/logistics/shipments/1').kind).toBe('found');
    expect(doc.findOperation('GET', '/v1/shipments/1').kind).toBe('not-found');
  });

  it('uses path-item and operation servers over the document servers', async () => {
    const doc = await loadOpenApi(
      {
        openapi: '3.0.3',
        info: { title: 'x', version: '1' },
        servers: [{ url: '/api' }],
        paths: {
          '/a': { get: { responses: { '200': { description: 'ok' } } } },
          '/b': {
            servers: [{ url: 'https://legacy.example.com/old' }],
            get: { responses: { '200': { description: 'ok' } } },
          },
          '/c': { get: { servers: [{ url: '/ops' }], responses: { '200': { description: 'ok' } } } },
        },
      },
      { validate: false },
    );
    expect(doc.findOperation('GET', '/api/a').kind).toBe('found');
    expect(doc.findOperation('GET', '/old/b').kind).toBe('found');
    expect(doc.findOperation('GET', '/api/b').kind).toBe('not-found');
    expect(doc.findOperation('GET', '/ops/c').kind).toBe('found');
  });
});

describe('findOperation: path templates from an untrusted document', () => {
  it('matches a segment of many adjacent parameters in linear time', async () => {
    const doc = await loadOpenApi(
      {
        openapi: '3.0.3',
        info: { title: 't', version: '1' },
        paths: { '/f/{a}{b}{c}{d}{e}{f}{g}{h}{i}{j}x': { get: { responses: { '200': { description: 'ok' } } } } },
      },
      { validate: false },
    );
    const started = performance.now();
    expect(doc.findOperation('GET', `/f/${'a'.repeat(200)}`)).toMatchObject({ kind: 'not-found', reason: 'path' });
    expect(doc.findOperation('GET', `/f/${'a'.repeat(200)}x`)).toMatchObject({ kind: 'found' });
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
