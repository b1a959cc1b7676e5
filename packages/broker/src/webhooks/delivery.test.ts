import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createBroker } from '../index.js';
import { engines, type Engine } from '../__fixtures__/engines.js';
import { call } from '../__fixtures__/pact-cli.js';
import type { DatabaseConfig } from '../storage/database.js';

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A local receiver; `answer` decides per request (the 1-based count) what to do. */
async function receiver(answer: (n: number, res: ServerResponse) => void) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      answer(received.length, res);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as AddressInfo).port;
  return {
    received,
    url: `http://127.0.0.1:${port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((done) => server.close(() => done()));
    },
  };
}

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const pact = (consumer: string, provider: string, description = 'a request') => ({
  consumer: { name: consumer },
  provider: { name: provider },
  interactions: [{ description, request: { method: 'GET', path: '/x' }, response: { status: 200 } }],
  metadata: { pactSpecification: { version: '2.0.0' } },
});

interface Delivery {
  event: string;
  status: string;
  attempts: number;
  log: { attempt: number; statusCode: number | null; error: string | null; request: Record<string, unknown> }[];
}

const fast = { allowHosts: ['127.0.0.1'], retryDelaysMs: [30, 30], pollIntervalMs: 30, timeoutMs: 5_000 };

describe.each(engines)('webhook delivery on $name', (engine: Engine) => {
  let database: { config: DatabaseConfig; drop(): Promise<void> };
  const open: { close(): Promise<void> }[] = [];
  const start = async (webhooks: Parameters<typeof createBroker>[0]['webhooks']) => {
    const broker = await createBroker({ database: database.config, webhooks });
    open.push(broker);
    return { broker, url: await broker.listen({ port: 0 }) };
  };
  const track = <T extends { close(): Promise<void> }>(r: T) => (open.push(r), r);
  beforeAll(async () => {
    database = await engine.create();
  });
  afterEach(async () => {
    for (const r of open.splice(0).reverse()) await r.close();
  });
  afterAll(async () => database?.drop());

  const hook = async (url: string, body: Record<string, unknown>) => {
    const created = await call(url, 'POST', '/webhooks', body);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body.uuid as string;
  };
  const deliveries = async (url: string, uuid: string) =>
    (await call(url, 'GET', `/webhooks/${uuid}/deliveries`)).body.deliveries as Delivery[];
  const settled = (url: string, uuid: string, count = 1) =>
    waitFor(async () => {
      const list = await deliveries(url, uuid);
      return list.length >= count && list.every((d) => d.status !== 'pending') ? list : undefined;
    }, 'the deliveries to settle');

  it('retries a receiver that fails twice, then delivers with the Pact Broker variables filled in and credentials masked in the log', async () => {
    const rx = track(await receiver((n, res) => res.writeHead(n <= 2 ? 500 : 200).end(n <= 2 ? 'busy' : 'ok')));
    const { url } = await start(fast);
    const uuid = await hook(url, {
      description: 'ci',
      events: [{ name: 'contract_content_changed' }],
      request: {
        method: 'POST',
        url: `${rx.url}/hook/\${pactbroker.consumerName}?token=tok-123`,
        headers: { 'Content-Type': 'application/json', Authorization: 'Bearer s3cret' },
        body: {
          pact: '${pactbroker.pactUrl}',
          version: '${pactbroker.consumerVersionNumber}',
          branch: '${pactbroker.consumerVersionBranch}',
          event: '${pactbroker.eventName}',
        },
      },
    });
    const shown = await call(url, 'GET', `/webhooks/${uuid}`);
    expect(shown.body.request.headers.Authorization).toBe('***');
    expect(shown.body.request.url).toContain('token=***');
    expect(JSON.stringify(shown.body)).not.toMatch(/s3cret|tok-123/);

    const published = await call(url, 'POST', '/contracts/publish', {
      pacticipantName: 'Web App/ü',
      pacticipantVersionNumber: '1.0.0',
      branch: 'main',
      contracts: [
        {
          consumerName: 'Web App/ü',
          providerName: 'Logistics',
          specification: 'pact',
          contentType: 'application/json',
          content: Buffer.from(JSON.stringify(pact('Web App/ü', 'Logistics'))).toString('base64'),
        },
      ],
    });
    expect(published.status).toBe(200);
    const [delivery] = await settled(url, uuid);
    expect(delivery!.status).toBe('succeeded');
    expect(delivery!.log.map((a) => a.statusCode)).toEqual([500, 500, 200]);
    expect(delivery!.log[0]!.error).toBe('the receiver answered 500');
    expect(rx.received).toHaveLength(3);
    const last = rx.received[2]!;
    // The consumer name is percent-encoded: it cannot add a path segment.
    expect(last.url).toBe('/hook/Web%20App%2F%C3%BC?token=tok-123');
    expect(last.headers.authorization).toBe('Bearer s3cret');
    expect(JSON.parse(last.body)).toEqual({
      pact: expect.stringMatching(
        /\/pacts\/provider\/Logistics\/consumer\/Web%20App%2F%C3%BC\/pact-version\/[0-9a-f]{64}$/,
      ),
      version: '1.0.0',
      branch: 'main',
      event: 'contract_content_changed',
    });
    const logged = JSON.stringify(delivery!.log);
    expect(logged).not.toMatch(/s3cret|tok-123/);
    expect(delivery!.log[2]!.request).toMatchObject({ method: 'POST', headers: { Authorization: '***' } });
  });

  it('gives up on a receiver that never answers after the last retry, logging each timeout', async () => {
    const rx = track(await receiver(() => {}));
    const { url } = await start({ ...fast, retryDelaysMs: [30], timeoutMs: 400 });
    const uuid = await hook(url, {
      events: [{ name: 'contract_published' }],
      request: { method: 'POST', url: `${rx.url}/hangs` },
    });
    await call(url, 'PUT', '/pacts/provider/Hang/consumer/Client/version/1', pact('Client', 'Hang'));
    const [delivery] = await settled(url, uuid);
    expect(delivery).toMatchObject({ status: 'failed', attempts: 2 });
    expect(delivery!.log.map((a) => a.error)).toEqual(['no answer within 400 ms', 'no answer within 400 ms']);
    expect(rx.received).toHaveLength(2);
  });

  it('records a refused connection to a receiver that is down as a failed attempt', async () => {
    const rx = await receiver(() => {});
    await rx.close();
    const { url } = await start({ ...fast, retryDelaysMs: [] });
    const uuid = await hook(url, {
      events: [{ name: 'contract_published' }],
      request: { method: 'POST', url: `${rx.url}/down` },
    });
    await call(url, 'PUT', '/pacts/provider/Down/consumer/Client/version/1', pact('Client', 'Down'));
    const [delivery] = await settled(url, uuid);
    expect(delivery).toMatchObject({ status: 'failed', attempts: 1 });
    expect(delivery!.log[0]!.error).toMatch(/^the request failed: ECONNREFUSED/);
  });

  it('fires verification and gate decision events with cutover variables, one per route', async () => {
    const rx = track(await receiver((_n, res) => res.writeHead(204).end()));
    const { url } = await start(fast);
    const uuid = await hook(url, {
      events: [{ name: 'provider_verification_failed' }, { name: 'cutover_gate_decision_recorded' }],
      request: {
        method: 'POST',
        url: `${rx.url}/e?event=\${pactbroker.eventName}&route=\${cutover.route}&decision=\${cutover.decision}&weight=\${cutover.weight}&provider=\${pactbroker.providerVersionNumber}&gh=\${pactbroker.githubVerificationStatus}`,
      },
    });
    const put = await call(
      url,
      'PUT',
      '/pacts/provider/Verified/consumer/Client/version/1',
      pact('Client', 'Verified'),
    );
    const sha = (put.body._links['pb:pact-version'].href as string).split('/').pop()!;
    await call(url, 'POST', `/pacts/provider/Verified/consumer/Client/pact-version/${sha}/verification-results`, {
      success: true,
      providerApplicationVersion: 'p1',
    });
    await call(url, 'POST', `/pacts/provider/Verified/consumer/Client/pact-version/${sha}/verification-results`, {
      success: false,
      providerApplicationVersion: 'p2',
    });
    await call(url, 'POST', '/cutover/decisions', {
      format: 'cutover.gate-decision/v1',
      decidedAt: '2026-01-01T00:00:00Z',
      outcome: 'blocked',
      routes: [
        { name: 'tracking & more', outcome: 'allowed', currentWeight: 0, nextWeight: 5 },
        { name: 'orders', outcome: 'blocked', currentWeight: 10, nextWeight: 10 },
      ],
    });
    await settled(url, uuid, 3);
    const queries = rx.received.map((r) => Object.fromEntries(new URL(r.url, 'http://x').searchParams));
    expect(queries).toHaveLength(3);
    expect(queries).toContainEqual(
      expect.objectContaining({ event: 'provider_verification_failed', provider: 'p2', gh: 'failure', route: '' }),
    );
    expect(queries).toContainEqual(
      expect.objectContaining({
        event: 'cutover_gate_decision_recorded',
        route: 'tracking & more',
        decision: 'allowed',
        weight: '5',
      }),
    );
    expect(queries).toContainEqual(expect.objectContaining({ route: 'orders', decision: 'blocked', weight: '10' }));
  });

  it('queues nothing when the write that would cause the event is refused', async () => {
    const { url } = await start({ ...fast, deliver: false });
    const uuid = await hook(url, {
      events: [{ name: 'contract_published' }],
      request: { method: 'POST', url: 'http://127.0.0.1:9/never' },
    });
    expect((await call(url, 'PUT', '/pacts/provider/P409/consumer/C/version/1', pact('C', 'P409'))).status).toBe(201);
    const conflict = await call(url, 'PUT', '/pacts/provider/P409/consumer/C/version/1', pact('C', 'P409', 'changed'));
    expect(conflict.status).toBe(409);
    expect((await deliveries(url, uuid)).map((d) => d.status)).toEqual(['pending']);
  });

  it('keeps queued deliveries across a restart and sends them from the next broker on the same database', async () => {
    let hang = true;
    const rx = track(
      await receiver((_n, res) => {
        if (!hang) res.writeHead(200).end();
      }),
    );
    const first = await start({ ...fast, timeoutMs: 30_000 });
    const uuid = await hook(first.url, {
      events: [{ name: 'contract_published' }],
      request: { method: 'POST', url: `${rx.url}/restart` },
    });
    await call(first.url, 'PUT', '/pacts/provider/Restart/consumer/C/version/1', pact('C', 'Restart'));
    // The first broker stops while its request is still waiting for an answer.
    await waitFor(async () => (rx.received.length > 0 ? true : undefined), 'the first attempt');
    await first.broker.close();
    hang = false;
    const second = await start(fast);
    const [delivery] = await settled(second.url, uuid);
    expect(delivery).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(rx.received).toHaveLength(2);
  });

  it('refuses, when it is created, a webhook to a host the operator did not allow or chosen by a template variable', async () => {
    const { url } = await start({ allowHosts: ['ci.example', '127.0.0.1'], deliver: false });
    const other = await call(url, 'POST', '/webhooks', {
      events: [{ name: 'contract_published' }],
      request: { method: 'POST', url: 'https://attacker.example/x' },
    });
    expect(other.status).toBe(400);
    expect(other.body.errors['request.url'][0]).toBe(
      'host attacker.example is not allowed: the broker allows ci.example, 127.0.0.1 (--webhook-allow-host)',
    );
    const templated = await call(url, 'POST', '/webhooks', {
      events: [{ name: 'contract_published' }],
      request: { method: 'POST', url: 'https://${pactbroker.consumerName}.ci.example/x' },
    });
    expect(templated.status).toBe(400);
    expect(templated.body.errors['request.url'][0]).toMatch(/literally/);
    const none = await createBroker({ database: database.config });
    open.push(none);
    const noneUrl = await none.listen({ port: 0 });
    const refused = await call(noneUrl, 'POST', '/webhooks', {
      events: [{ name: 'contract_published' }],
      request: { method: 'POST', url: 'https://ci.example/x' },
    });
    expect(refused.body.errors['request.url'][0]).toMatch(/calls no webhook host until its operator allows one/);
  });
});
