import { describe, expect, it } from 'vitest';
import { OpenApiDocument } from './document.js';
import { documentedOperations, exercises } from './documented.js';

const doc = (document: Record<string, unknown>) =>
  new OpenApiDocument({ openapi: '3.0.3', info: { title: 't', version: '1' }, ...document }, { source: 'api.yaml' });

describe('documentedOperations', () => {
  it('lists each operation under every base path of its servers, variables at their defaults', () => {
    const operations = documentedOperations(
      doc({
        servers: [
          { url: 'https://a.example/v1' },
          {
            url: 'https://{region}.example/{version}',
            variables: { region: { default: 'eu' }, version: { default: 'v2', enum: ['v2', 'v3'] } },
          },
        ],
        paths: {
          '/pets/{id}': { get: { operationId: 'getPet', responses: {} } },
          '/health': { servers: [{ url: '/' }], get: { responses: {} } },
        },
      }),
    );
    expect(operations).toEqual([
      { method: 'GET', path: '/v1/pets/{id}', template: '/pets/{id}', operationId: 'getPet' },
      { method: 'GET', path: '/v2/pets/{id}', template: '/pets/{id}', operationId: 'getPet' },
      { method: 'GET', path: '/health', template: '/health' },
    ]);
  });
});

describe('exercises', () => {
  const [byId, mine] = documentedOperations(
    doc({ paths: { '/pets/{id}': { get: { responses: {} } }, '/pets/mine': { get: { responses: {} } } } }),
  );

  it('takes a request of the same method under the operation path', () => {
    expect(exercises(byId!, { method: 'get', path: '/pets/7?full=1' })).toBe(true);
    expect(exercises(byId!, { method: 'DELETE', path: '/pets/7' })).toBe(false);
    expect(exercises(byId!, { method: 'GET', path: '/pets/7/toys' })).toBe(false);
  });

  it('trusts the template the document matched: /pets/mine does not exercise /pets/{id}', () => {
    expect(exercises(byId!, { method: 'GET', path: '/pets/mine', template: '/pets/mine' })).toBe(false);
    expect(exercises(mine!, { method: 'GET', path: '/pets/mine', template: '/pets/mine' })).toBe(true);
  });
});
