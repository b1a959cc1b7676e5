import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BrokerClient, BrokerError, redactUrl } from './http.js';
import { startStubBroker, type StubBroker } from './__fixtures__/stub-broker.js';

const open: StubBroker[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function stub(...args: Parameters<typeof startStubBroker>): Promise<StubBroker> {
  const broker = await startStubBroker(...args);
  open.push(broker);
  return broker;
}

async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function failure(promise: Promise<unknown>): Promise<BrokerError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BrokerError);
  return error as BrokerError;
}

describe('BrokerClient', () => {
  it('sends a bearer token, or basic auth, with every request', async () => {
    const broker = await stub({ 'GET /': () => ({ body: {} }) });
    await new BrokerClient({ url: broker.url, auth: { token: 't0k' } }).get('/');
    await new BrokerClient({ url: broker.url, auth: { username: 'u', password: 'p' } }).get('/');
    expect(broker.received.map((r) => r.headers.authorization)).toEqual([
      'Bearer t0k',
      `Basic ${Buffer.from('u:p').toString('base64')}`,
    ]);
  });

  it('uses credentials in the URL as basic auth and never shows them in errors', async () => {
    const broker = await stub({ 'GET /': () => ({ status: 401, body: { error: 'unauthorized' } }) });
    const url = broker.url.replace('http://', 'http://ci:s3cr%40t@');
    const client = new BrokerClient({ url });
    expect(client.baseUrl).toBe(broker.url);
    const error = await failure(client.get('/'));
    expect(broker.received[0]!.headers.authorization).toBe(`Basic ${Buffer.from('ci:s3cr@t').toString('base64')}`);
    expect(error.message).toBe(`Broker GET ${broker.url}/: the broker answered HTTP 401: {"error":"unauthorized"}`);
    expect(JSON.stringify(error.toJSON())).not.toMatch(/s3cr/);
  });

  it('names the method, the URL and the status of a refused request, with the status and code kept', async () => {
    const broker = await stub({ 'POST /things': () => ({ status: 409, body: { errors: { content: ['changed'] } } }) });
    const error = await failure(new BrokerClient({ url: `${broker.url}/` }).send('POST', 'things', { a: 1 }));
    expect(error).toMatchObject({
      code: 'CUTOVER_BROKER_FAILED',
      status: 409,
      details: { method: 'POST', url: `${broker.url}/things`, status: 409 },
    });
    expect(error.message).toBe(
      `Broker POST ${broker.url}/things: the broker answered HTTP 409: {"errors":{"content":["changed"]}}`,
    );
    expect(broker.received[0]!.json).toEqual({ a: 1 });
    expect(broker.received[0]!.headers['content-type']).toBe('application/json');
  });

  it('redacts a credential the broker echoes back in its error body', async () => {
    const broker = await stub({
      'GET /': (req) => ({ status: 403, body: { error: `token ${req.headers.authorization} is read-only` } }),
    });
    const error = await failure(new BrokerClient({ url: broker.url, auth: { token: 'sup3rs3cret' } }).get('/'));
    expect(error.message).toContain('token Bearer *** is read-only');
    expect(error.message).not.toContain('sup3rs3cret');
    const basic = await failure(
      new BrokerClient({ url: broker.url, auth: { username: 'u', password: 'hunter22' } }).get('/'),
    );
    expect(basic.message).toContain('token Basic *** is read-only');
  });

  it('says when the broker cannot be reached, keeping the cause', async () => {
    const error = await failure(new BrokerClient({ url: `http://127.0.0.1:${await deadPort()}` }).get('/'));
    expect(error.message).toMatch(
      /^Broker GET http:\/\/127\.0\.0\.1:\d+\/: the broker cannot be reached \(ECONNREFUSED\)$/,
    );
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('gives up on a broker that does not answer within the deadline', async () => {
    const broker = await stub({ 'GET /slow': () => ({ hang: true }) });
    const started = Date.now();
    const error = await failure(new BrokerClient({ url: broker.url, timeoutMs: 200 }).get('slow'));
    expect(error.message).toBe(`Broker GET ${broker.url}/slow: the broker cannot be reached (no answer within 200 ms)`);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('refuses an answer that is not JSON, and accepts an empty one', async () => {
    const broker = await stub({
      'GET /html': () => ({ body: '<html>proxy login</html>' }),
      'PUT /empty': () => ({ status: 204 }),
    });
    const client = new BrokerClient({ url: broker.url });
    const error = await failure(client.get('html'));
    expect(error.message).toBe(
      `Broker GET ${broker.url}/html: the broker answered HTTP 200 with a body that is not JSON`,
    );
    expect(error.cause).toBeInstanceOf(SyntaxError);
    expect(await client.send('PUT', 'empty', {})).toEqual({ status: 204, json: undefined });
  });

  it('names a redirect instead of following it with the credentials', async () => {
    const broker = await stub({
      'GET /': () => ({ status: 301, headers: { location: 'https://elsewhere.example/' } }),
    });
    const error = await failure(new BrokerClient({ url: broker.url, auth: { token: 't' } }).get('/'));
    expect(error.message).toBe(
      `Broker GET ${broker.url}/: the broker answered HTTP 301 (redirect to https://elsewhere.example/)`,
    );
  });

  it("sends nothing, credentials included, to a link outside the broker's origin", async () => {
    const broker = await stub({});
    const elsewhere = await stub({ 'GET /steal': () => ({ body: {} }) });
    const error = await failure(
      new BrokerClient({ url: broker.url, auth: { token: 'secret-token' } }).get(`${elsewhere.url}/steal`),
    );
    expect(error.message).toBe(
      `Broker GET ${elsewhere.url}/steal: refused: not on the broker's origin ${broker.url} (a link pointing elsewhere; if the broker is behind a proxy, set its base URL)`,
    );
    expect(elsewhere.received).toEqual([]);
  });

  it('resolves hrefs against a base URL with a path, and refuses a link that is not a URL or a base URL that is not http(s)', () => {
    const client = new BrokerClient({ url: 'https://proxy.example/broker/' });
    expect(client.resolve('pacts/provider/x/latest')).toBe('https://proxy.example/broker/pacts/provider/x/latest');
    expect(client.resolve('https://other.example/a')).toBe('https://other.example/a');
    expect(() => client.resolve('http://[broken')).toThrow(
      expect.objectContaining({
        code: 'CUTOVER_BROKER_FAILED',
        message: 'Broker GET https://proxy.example/broker: the link "http://[broken" is not a URL',
      }),
    );
    expect(() => new BrokerClient({ url: 'ftp://u:pw@broker' })).toThrow(
      expect.objectContaining({
        code: 'CUTOVER_USAGE',
        message: 'Broker URL ftp://***:***@broker/ must be http:// or https://',
      }),
    );
    expect(() => new BrokerClient({ url: 'not a url' })).toThrow(expect.objectContaining({ code: 'CUTOVER_USAGE' }));
  });
});

describe('redactUrl', () => {
  it('hides user info and credential-like query parameters', () => {
    expect(redactUrl('https://ci:pw@broker.example/pacts?access_token=abc&page=2')).toBe(
      'https://***:***@broker.example/pacts?access_token=***&page=2',
    );
    expect(redactUrl('https://broker.example/x')).toBe('https://broker.example/x');
  });
});
