import { matchResponse, parsePact } from '@cutover/core';
import { describe, expect, it } from 'vitest';
import { PactBook } from './book.js';
import type { Exchange } from './exchange.js';

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

function exchange(overrides: Partial<Exchange> & { body?: unknown } = {}): Exchange {
  const { body, ...rest } = overrides;
  return {
    method: 'GET',
    path: '/api/tracking/SHP-1001',
    query: {},
    requestHeaders: { accept: ['application/json'], host: ['localhost:8088'], 'user-agent': ['curl/8'] },
    status: 200,
    responseHeaders: { 'content-type': ['application/json'], 'x-request-id': ['r-1'], date: ['Tue'] },
    responseBody: json(
      body ?? { shipmentId: 'SHP-1001', status: 'in_transit', generatedAt: '2026-11-18T07:30:00.123456Z' },
    ),
    ...rest,
  };
}

describe('PactBook grouping', () => {
  it('keeps one interaction per method + path template + status and shape, whatever the ids', () => {
    const book = new PactBook({ provider: 'logistics' });
    for (const id of ['SHP-1001', 'SHP-1002', 'SHP-1003'])
      book.add(exchange({ path: `/api/tracking/${id}`, body: { shipmentId: id, status: 'in_transit' } }), 'web');
    book.add(exchange({ path: '/api/tracking/SHP-404', status: 404, body: { error: 'not_found' } }), 'web');
    const pact = book.pact('web');
    expect(pact.interactions.map((i) => i.description)).toEqual([
      'GET /api/tracking/{id} → 200',
      'GET /api/tracking/{id} → 404',
    ]);
    expect(pact.interactions[0]!.comments).toEqual({
      text: ['Recorded by cutover record from 3 analysed observations of GET /api/tracking/{id} 200.'],
    });
  });

  it('keeps a new shape in a group as its own interaction, up to the cap, and says when one is dropped', () => {
    const book = new PactBook({ provider: 'p', maxShapesPerGroup: 2 });
    expect(book.add(exchange({ body: { a: 1 } }), 'c')).toMatchObject({ recorded: true, newInteraction: true });
    expect(book.add(exchange({ body: { a: 1, b: 'x' } }), 'c')).toMatchObject({ newInteraction: true });
    expect(book.add(exchange({ body: { c: true } }), 'c')).toEqual({
      recorded: false,
      consumer: 'c',
      group: 'GET /api/tracking/{id} 200',
      reason: 'group-capped',
    });
    expect(book.pact('c').interactions.map((i) => i.description)).toEqual([
      'GET /api/tracking/{id} → 200',
      'GET /api/tracking/{id} → 200 (shape 2)',
    ]);
  });

  it('analyses a group that taught nothing new for 100 observations once in 16, and every one again after a new shape', () => {
    const book = new PactBook({ provider: 'p', samplesPerShape: 1 });
    for (let i = 0; i < 101; i++) book.add(exchange(), 'c');
    const observed = () =>
      (book.pact('c').interactions as { comments: { text: string[] } }[]).map((i) => i.comments.text[0]);
    expect(observed()).toEqual([
      'Recorded by cutover record from 101 analysed observations of GET /api/tracking/{id} 200.',
    ]);
    for (let i = 0; i < 32; i++) book.add(exchange(), 'c');
    expect(observed()[0]).toContain('from 103 analysed');
    // A new shape is still found (within 16 observations), and the group is analysed in full again.
    for (let i = 0; i < 16; i++) book.add(exchange({ body: { other: true } }), 'c');
    expect(book.pact('c').interactions).toHaveLength(2);
  });

  it('keeps consumers apart, one pact each', () => {
    const book = new PactBook({ provider: 'logistics' });
    book.add(exchange(), 'web-app');
    book.add(exchange(), 'mobile-app');
    expect(book.pacts().map((p) => [p.consumer.name, p.provider.name])).toEqual([
      ['mobile-app', 'logistics'],
      ['web-app', 'logistics'],
    ]);
  });

  it('writes a V4 pact that core loads and whose response rules accept another observation of the group', () => {
    const book = new PactBook({ provider: 'logistics' });
    book.add(exchange({ query: { limit: ['5'] } }), 'web');
    const doc = book.pact('web');
    const pact = parsePact(doc);
    expect(pact.specMajor).toBe(4);
    const interaction = pact.interactions[0]!;
    expect(interaction.replayable && interaction.request).toMatchObject({
      method: 'GET',
      path: '/api/tracking/SHP-1001',
      query: { limit: ['5'] },
      headers: { Accept: ['application/json'] },
    });
    const response = (doc.interactions[0] as { response: unknown }).response;
    const later = {
      status: 200,
      headers: { 'Content-Type': ['application/json'] },
      body: {
        content: { shipmentId: 'SHP-2', status: 'in_transit', generatedAt: '2027-01-01T00:00:00Z' },
        contentType: 'application/json',
      },
    };
    expect(matchResponse(response, later, { specVersion: '4.0' }).mismatches).toEqual([]);
    const broken = {
      ...later,
      body: { ...later.body, content: { ...later.body.content, generatedAt: '2027-01-01 00:00:00' } },
    };
    expect(matchResponse(response, broken, { specVersion: '4.0' }).ok).toBe(false);
  });

  it('records only the API part of a request: transport, tracing and client headers are left out', () => {
    const book = new PactBook({ provider: 'p' });
    book.add(
      exchange({
        requestHeaders: {
          accept: ['application/json'],
          'x-tenant': ['acme'],
          traceparent: ['00-1'],
          'x-forwarded-for': ['1.2.3.4'],
        },
      }),
      'c',
    );
    const interaction = book.pact('c').interactions[0] as {
      request: { headers: unknown };
      response: { headers: unknown };
    };
    expect(interaction.request.headers).toEqual({ Accept: ['application/json'], 'X-Tenant': ['acme'] });
    expect(interaction.response.headers).toEqual({ 'Content-Type': ['application/json'] });
  });

  it('records a text body as it is and a binary body only by its content type, saying so', () => {
    const book = new PactBook({ provider: 'p' });
    book.add(
      exchange({
        path: '/a',
        responseHeaders: { 'content-type': ['text/plain'] },
        responseBody: new TextEncoder().encode('hi'),
      }),
      'c',
    );
    book.add(
      exchange({
        path: '/b',
        responseHeaders: { 'content-type': ['application/pdf'] },
        responseBody: new Uint8Array([0xff, 0xfe, 0]),
      }),
      'c',
    );
    const [a, b] = book.pact('c').interactions as { response: { body?: unknown }; comments: { text: string[] } }[];
    expect(a!.response.body).toEqual({ content: 'hi', contentType: 'text/plain', encoded: false });
    expect(b!.response.body).toBeUndefined();
    expect(b!.comments.text[1]).toContain('application/pdf, 3 bytes) is binary and was not recorded');
  });
});

describe('PactBook redaction', () => {
  it('never writes secrets: auth headers, cookies, API keys, secret query parameters and JSON keys become typed placeholders', () => {
    const book = new PactBook({
      provider: 'p',
      responseHeaders: ['content-type', 'set-cookie'],
      redaction: { jsonPaths: ['$.user.ssn'], query: ['session'] },
    });
    book.add(
      exchange({
        method: 'POST',
        path: '/api/auth/login',
        query: { session: ['s3cr3t-session'], lang: ['en'] },
        requestHeaders: {
          authorization: ['Bearer eyJhbGciOi.secret.token'],
          cookie: ['sid=abc123'],
          'x-api-key': ['key-123456'],
          'content-type': ['application/json'],
        },
        requestBody: json({ email: 'mo@mobile.example', password: 'on-the-go' }),
        responseHeaders: { 'content-type': ['application/json'], 'set-cookie': ['sid=abc123; HttpOnly'] },
        body: { accessToken: 'eyJ.real.token', expiresIn: 3600, user: { ssn: '123-45-6789', pin: 1234 } },
      }),
      'c',
    );
    const text = JSON.stringify(book.pacts());
    for (const secret of ['eyJhbGciOi', 'abc123', 'key-123456', 'on-the-go', 'eyJ.real.token', '123-45-6789', 's3cr3t'])
      expect(text).not.toContain(secret);
    const interaction = book.pact('c').interactions[0] as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(interaction.request.headers.Authorization).toEqual(['Bearer <redacted>']);
    expect(interaction.request.query).toEqual({ session: ['<redacted>'], lang: ['en'] });
    expect(interaction.request.body.content).toEqual({ email: 'mo@mobile.example', password: '<redacted>' });
    expect(interaction.response.body.content).toEqual({
      accessToken: '<redacted>',
      expiresIn: 3600,
      user: { ssn: '<redacted>', pin: 1234 },
    });
    expect(interaction.response.matchingRules.body['$.accessToken']).toEqual({
      combine: 'AND',
      matchers: [{ match: 'type' }],
    });
    expect(interaction.response.matchingRules.header['Set-Cookie']).toEqual({
      combine: 'AND',
      matchers: [{ match: 'type' }],
    });
    // The placeholder is type-matched, so a real token still verifies.
    const actual = {
      status: 200,
      headers: { 'Content-Type': ['application/json'], 'Set-Cookie': ['sid=zzz'] },
      body: {
        content: { accessToken: 'eyJ.other', expiresIn: 60, user: { ssn: '987', pin: 1 } },
        contentType: 'application/json',
      },
    };
    expect(matchResponse(interaction.response, actual, { specVersion: '4.0' }).mismatches).toEqual([]);
  });

  it('redacts secret fields of a form body', () => {
    const book = new PactBook({ provider: 'p' });
    book.add(
      exchange({
        method: 'POST',
        requestHeaders: { 'content-type': ['application/x-www-form-urlencoded'] },
        requestBody: new TextEncoder().encode('username=ann&password=hunter2&client_secret=xyz'),
      }),
      'c',
    );
    const interaction = book.pact('c').interactions[0] as { request: { body: { content: string } } };
    expect(interaction.request.body.content).toBe('username=ann&password=%3Credacted%3E&client_secret=%3Credacted%3E');
  });

  it('refuses a redaction JSON path it cannot read, with a coded error', () => {
    expect(() => new PactBook({ provider: 'p', redaction: { jsonPaths: ['user.ssn'] } })).toThrow(
      expect.objectContaining({ code: 'CUTOVER_CONFIG_INVALID' }),
    );
  });
});
