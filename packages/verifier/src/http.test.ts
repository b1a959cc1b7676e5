import { describe, expect, it } from 'vitest';
import type { HttpRequest } from '@cutover/core';
import { toOutgoing } from './http.js';

function request(overrides: Partial<HttpRequest>): HttpRequest {
  return {
    method: 'post',
    path: '/shipments',
    query: {},
    headers: {},
    body: { kind: 'absent' },
    matchingRules: {},
    generators: {},
    ...overrides,
  };
}

describe('toOutgoing', () => {
  it('serialises a JSON body, keeps the pact headers and drops recorded framing headers', () => {
    const out = toOutgoing(
      request({
        headers: { 'Content-Type': ['application/json'], 'Content-Length': ['999'], 'X-Trace': ['a', 'b'] },
        body: { kind: 'present', content: { weight: 2 } },
        query: { full: ['true'], tag: ['a b', 'c'] },
      }),
    );
    expect(out).toEqual({
      method: 'POST',
      path: '/shipments?full=true&tag=a%20b&tag=c',
      headers: { 'content-type': 'application/json', 'x-trace': 'a, b' },
      body: Buffer.from('{"weight":2}'),
    });
  });

  it('sends text and base64 bodies as their bytes', () => {
    const text = toOutgoing(
      request({ headers: { 'Content-Type': ['text/plain'] }, body: { kind: 'present', content: 'hello' } }),
    );
    expect(text.body?.toString()).toBe('hello');
    const binary = toOutgoing(
      request({
        body: { kind: 'present', content: 'AAEC', encoded: 'base64', contentType: 'application/octet-stream' },
      }),
    );
    expect([...binary.body!]).toEqual([0, 1, 2]);
    expect(binary.headers['content-type']).toBe('application/octet-stream');
  });
});
