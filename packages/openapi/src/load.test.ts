import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes } from '@cutover/core';
import { loadOpenApi, loadOpenApiOperations, OpenApiError } from './index.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./__fixtures__/${name}`, import.meta.url));

async function loadError(source: string | object): Promise<OpenApiError> {
  const error = await loadOpenApi(source).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OpenApiError);
  expect((error as OpenApiError).code).toBe(ErrorCodes.OPENAPI_INVALID);
  return error as OpenApiError;
}

describe('loadOpenApi', () => {
  it('loads a YAML file and indexes its operations without compiling any schema', async () => {
    const doc = await loadOpenApi(fixture('shipments-3.0.yaml'));
    expect(doc.version).toBe('3.0');
    expect(doc.openapi).toBe('3.0.3');
    expect(doc.operations.map((o) => `${o.method} ${o.pathTemplate}`)).toContain('GET /shipments/{id}');
    expect(doc.operations).toHaveLength(8);
    expect(doc.compiledSchemas).toBe(0);
  });

  it('loads JSON text and parsed objects, and never modifies the object it is given', async () => {
    const source = {
      openapi: '3.1.0',
      info: { title: 'x', version: '1' },
      paths: {
        '/a': {
          get: {
            responses: {
              '200': {
                description: 'ok',
                content: { 'application/json': { schema: { $ref: '#/components/schemas/A' } } },
              },
            },
          },
        },
      },
      components: { schemas: { A: { type: 'string' } } },
    };
    const before = structuredClone(source);
    const fromObject = await loadOpenApi(source);
    expect(source).toEqual(before);
    expect(fromObject.findOperation('GET', '/a').kind).toBe('found');
    const fromText = await loadOpenApi(JSON.stringify(source));
    expect(fromText.validateResponse({ method: 'GET', path: '/a' }, { status: 200, body: 3 })).toHaveLength(1);
  });

  it('bundles $refs spread over several files', async () => {
    const doc = await loadOpenApi(fixture('multi/root.yaml'));
    expect(doc.findOperation('GET', '/parcels').kind).toBe('found');
    const violations = doc.validateResponse(
      { method: 'GET', path: '/parcels' },
      { status: 200, body: [{ id: 'P1', owner: {} }], contentType: 'application/json' },
    );
    expect(violations.map((v) => [v.instancePath, v.rule])).toEqual([['/0/owner/name', 'required']]);
    const request = doc.validateRequest({ method: 'GET', path: '/parcels/X1' });
    expect(request.map((v) => [v.code, v.instancePath, v.rule])).toEqual([
      ['request.parameter.invalid', 'path/id', 'pattern'],
    ]);
  });

  it('refuses Swagger 2.0 with a message saying to convert it', async () => {
    const error = await loadError(fixture('swagger-2.0.json'));
    expect(error.message).toMatch(/Swagger 2\.0 documents are not supported.*convert/);
    expect(error.message).toContain('swagger-2.0.json');
  });

  it('names the included file and the JSON pointer inside it when the document is invalid', async () => {
    const error = await loadError(fixture('broken/root.yaml'));
    expect(error.details.source).toBe(fixture('broken/things.yaml'));
    expect(error.details.pointer).toBe('/get/responses/200');
    expect(error.message).toContain('things.yaml');
    expect(error.message).toContain('#/get/responses/200');
    expect(error.message).toMatch(/description/);
  });

  it('names the file, where the $ref is and what it points to when a $ref points to nothing', async () => {
    const error = await loadError(fixture('broken/missing-ref.yaml'));
    expect(error.details).toMatchObject({
      source: fixture('broken/missing-ref.yaml'),
      pointer: '/paths/~1things/get/responses/200',
      ref: '#/components/responses/Nope',
    });
    expect(error.message).toBe(
      `${fixture('broken/missing-ref.yaml')}: the $ref at #/paths/~1things/get/responses/200 points to ` +
        '#/components/responses/Nope, which does not exist',
    );
  });

  it('names the included file and the $ref inside it when an included file has a dangling local $ref', async () => {
    const error = await loadError(fixture('broken-ref/root.yaml'));
    expect(error.details).toMatchObject({
      source: fixture('broken-ref/things.yaml'),
      pointer: '/get/responses/200/content/application~1json/schema',
      ref: '#/components/schemas/Missing',
    });
    expect(error.message).toContain(`${fixture('broken-ref/things.yaml')} (referenced from `);
    expect(error.message).toContain(
      'the $ref at #/get/responses/200/content/application~1json/schema points to #/components/schemas/Missing, which does not exist',
    );
  });

  it('reports YAML syntax errors with the file and line', async () => {
    const error = await loadError(fixture('broken/syntax-error.txt'));
    expect(error.message).toMatch(/syntax-error\.txt:\d+:\d+: the OpenAPI document is not valid YAML or JSON: /);
    expect(error.details).toMatchObject({ source: fixture('broken/syntax-error.txt'), line: expect.any(Number) });
  });

  it('reports an unreadable file and an unsupported version clearly', async () => {
    expect((await loadError(fixture('nope.yaml'))).message).toMatch(
      /nope\.yaml: cannot read the OpenAPI document: ENOENT/,
    );
    const error = await loadError({ openapi: '4.0.0', info: { title: 'x', version: '1' }, paths: {} });
    expect(error.message).toMatch(/Unsupported OpenAPI version|3\.0\.x or 3\.1\.x/);
  });

  it('can skip validation of the document itself', async () => {
    const doc = await loadOpenApi(
      { openapi: '3.0.3', info: { title: 'x' }, paths: { '/a': { get: { responses: { '200': {} } } } } },
      { validate: false },
    );
    expect(doc.findOperation('GET', '/a').kind).toBe('found');
    await loadError({ openapi: '3.0.3', info: { title: 'x' }, paths: { '/a': { get: { responses: { '200': {} } } } } });
  });

  describe('over HTTP', () => {
    let server: Server;
    let base: string;
    beforeAll(async () => {
      server = createServer((req, res) => {
        if (req.url === '/slow.yaml') return; // never answers
        readFile(fixture(`multi${req.url}`)).then(
          (text) => res.writeHead(200, { 'content-type': 'application/yaml' }).end(text),
          () => res.writeHead(404).end('not found'),
        );
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    it('loads a document and its relative $refs from a URL', async () => {
      const doc = await loadOpenApi(`${base}/root.yaml`);
      expect(doc.source).toBe(`${base}/root.yaml`);
      expect(doc.validateRequest({ method: 'GET', path: '/parcels/X1' }).map((v) => v.rule)).toEqual(['pattern']);
    });

    it('does not let a local file pull $refs from an internal address', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'cutover-openapi-'));
      const root = join(dir, 'root.yaml');
      await writeFile(
        root,
        `openapi: 3.0.3\ninfo: { title: x, version: '1' }\npaths:\n  /parcels:\n    $ref: '${base}/paths.yaml#/parcels'\n`,
      );
      try {
        const error = await loadError(root);
        expect(error.message).toMatch(/to http:\/\/127\.0\.0\.1:\d+\/paths\.yaml#\/parcels is refused: remote \$refs/);
        await expect(loadOpenApi(root, { allowRemoteRefs: true })).rejects.toThrow(/is a loopback address/);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('gives up on a server that does not answer', async () => {
      const error = await loadOpenApi(`${base}/slow.yaml`, { timeoutMs: 100 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenApiError);
      expect((error as Error).message).toMatch(/slow\.yaml: cannot fetch the OpenAPI document: .*(timeout|aborted)/i);
    });

    it('names the URL when it cannot be fetched', async () => {
      const error = await loadError(`${base}/missing.yaml`);
      expect(error.message).toMatch(/missing\.yaml: cannot fetch the OpenAPI document: HTTP 404/);
    });
  });
});

describe('loadOpenApiOperations', () => {
  it('lists the operations loadOpenApi indexes, for single- and multi-file documents and a base path', async () => {
    for (const [file, options] of [
      [fixture('shipments-3.0.yaml'), {}],
      [fixture('multi/root.yaml'), {}],
      [fixture('catalog-3.1.yaml'), { basePath: '/edge' }],
    ] as const) {
      const full = await loadOpenApi(file, options);
      const light = await loadOpenApiOperations(file, options);
      expect(light.source).toBe(full.source);
      expect(light.operations).toEqual(full.operations);
    }
  });

  it('refuses what loadOpenApi refuses, with the same coded error', async () => {
    for (const file of ['swagger-2.0.json', 'broken/root.yaml', 'broken/missing-ref.yaml']) {
      const full = await loadError(fixture(file));
      const light = await loadOpenApiOperations(fixture(file)).then(
        () => undefined,
        (e: unknown) => e as OpenApiError,
      );
      expect(light).toBeInstanceOf(OpenApiError);
      expect({ code: light?.code, message: light?.message, details: light?.details }).toEqual({
        code: full.code,
        message: full.message,
        details: full.details,
      });
    }
  });
});
