import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, startBroker, type RunningBroker } from '../__fixtures__/engines.js';
import { call, runPactCli } from '../__fixtures__/pact-cli.js';

const webhook = {
  description: 'notify',
  events: [{ name: 'contract_content_changed' }],
  request: {
    method: 'POST',
    url: 'https://ci.example/hook',
    headers: { 'X-Token': 't' },
    username: 'u',
    password: 'secret-password',
  },
};

const decision = (candidateVersion: string, outcome: string, decidedAt: string) => ({
  format: 'cutover.gate-decision/v1',
  decidedAt,
  policy: 'contracts/cutover.yaml',
  candidateVersion,
  outcome,
  routes: [
    {
      name: 'tracking',
      methods: ['GET'],
      path: '/api/tracking/**',
      outcome,
      currentWeight: 0,
      nextWeight: 1,
      forced: false,
      reasons: [],
      notes: [],
    },
  ],
});

describe.each(engines)('webhooks and gate decisions on $name', (engine) => {
  let running: RunningBroker;
  let url: string;
  beforeAll(async () => {
    running = await startBroker(engine, { webhooks: { allowHosts: ['ci.example'], deliver: false } });
    url = running.url;
    await call(url, 'POST', '/pacticipants', { name: 'Condor' });
  });
  afterAll(async () => running?.stop());

  it('creates, reads, updates, lists and deletes webhooks, never showing the password or credential headers', async () => {
    const created = await call(url, 'POST', '/webhooks', { ...webhook, consumer: { name: 'Condor' } });
    expect(created.status).toBe(201);
    expect(created.body.request).toEqual({
      method: 'POST',
      url: 'https://ci.example/hook',
      headers: { 'X-Token': '***' },
      username: 'u',
    });
    expect(JSON.stringify(created.body)).not.toContain('secret-password');
    const self = created.body._links.self.href as string;
    const put = await fetch(self, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...webhook, description: 'changed' }),
    });
    expect(put.status).toBe(200);
    expect(((await (await fetch(self)).json()) as { description: string }).description).toBe('changed');
    expect((await call(url, 'GET', '/webhooks')).body._links['pb:webhooks']).toHaveLength(1);
    expect((await fetch(self, { method: 'DELETE' })).status).toBe(204);
    expect((await fetch(self)).status).toBe(404);
  });

  it('refuses a webhook without a URL or for an unknown consumer with errors keyed by field', async () => {
    const noUrl = await call(url, 'POST', '/webhooks', { ...webhook, request: { method: 'POST' } });
    expect(noUrl.status).toBe(400);
    expect(Object.keys(noUrl.body.errors)).toContain('request.url');
    const fileUrl = await call(url, 'POST', '/webhooks', {
      ...webhook,
      request: { method: 'POST', url: 'file:///etc/passwd' },
    });
    expect(fileUrl.status).toBe(400);
    const unknown = await call(url, 'POST', '/webhooks', { ...webhook, consumer: { name: 'Nobody' } });
    expect(unknown.status).toBe(400);
    expect(Object.keys(unknown.body.errors)).toEqual(['consumer.name']);
    const missing = await call(url, 'POST', '/webhooks/provider/Pricing/consumer/Condor', webhook);
    expect(missing.status).toBe(404);
    expect((await call(url, 'GET', '/webhooks')).body._links['pb:webhooks']).toHaveLength(0);
  });

  it('the stock pact CLI creates a webhook', async () => {
    const run = await runPactCli('pact', [
      'broker',
      'create-webhook',
      'https://ci.example/build',
      '--request',
      'POST',
      '--contract-content-changed',
      '--consumer',
      'Condor',
      '--description',
      'from the CLI',
      '--broker-base-url',
      url,
    ]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const list = await call(url, 'GET', '/webhooks');
    expect(list.body._links['pb:webhooks'].map((l: { title: string }) => l.title)).toContain('from the CLI');
  });

  it('records gate decisions and returns the history per route and candidate version, newest first', async () => {
    const first = await call(url, 'POST', '/cutover/decisions', decision('1.0.0', 'allowed', '2026-01-01T10:00:00Z'));
    expect(first.status).toBe(201);
    expect(first.body._links.self.href).toMatch(/\/cutover\/decisions\/\d+$/);
    await call(url, 'POST', '/cutover/decisions', decision('1.0.1', 'blocked', '2026-01-02T10:00:00Z'));
    const history = await call(url, 'GET', '/cutover/decisions?route=tracking');
    expect(history.body._embedded.decisions.map((d: { candidateVersion: string }) => d.candidateVersion)).toEqual([
      '1.0.1',
      '1.0.0',
    ]);
    const one = await call(url, 'GET', '/cutover/decisions?route=tracking&candidateVersion=1.0.0');
    expect(one.body._embedded.decisions).toHaveLength(1);
    expect(one.body._embedded.decisions[0].routes[0].nextWeight).toBe(1);
    expect((await call(url, 'GET', '/cutover/decisions?route=other')).body._embedded.decisions).toEqual([]);
  });

  it('refuses a decision that is not a cutover.gate-decision/v1 document, storing nothing', async () => {
    const bad = await call(url, 'POST', '/cutover/decisions', { ...decision('2.0.0', 'allowed', 'yesterday') });
    expect(bad.status).toBe(400);
    const wrongFormat = await call(url, 'POST', '/cutover/decisions', {
      ...decision('2.0.0', 'allowed', '2026-01-03T00:00:00Z'),
      format: 'other',
    });
    expect(wrongFormat.status).toBe(400);
    expect((await call(url, 'GET', '/cutover/decisions?candidateVersion=2.0.0')).body._embedded.decisions).toEqual([]);
  });
});
