import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, startBroker, type RunningBroker } from '../__fixtures__/engines.js';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('auth', () => {
  let running: RunningBroker;
  beforeAll(async () => {
    running = await startBroker(engines[0]!, {
      auth: {
        write: [{ token: 'write-token' }, { username: 'ci', password: 'ci-pass' }],
        read: [{ token: 'read-token' }],
      },
    });
  });
  afterAll(async () => running?.stop());

  const request = (method: string, authorization?: string) =>
    fetch(`${running.url}/pacticipants`, {
      method,
      headers: {
        ...(authorization ? { authorization } : {}),
        ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
      },
      ...(method === 'POST' ? { body: JSON.stringify({ name: `P-${Math.random()}` }) } : {}),
    });

  it('refuses a write without credentials with 401 and a read-only credential with 403', async () => {
    expect((await request('POST')).status).toBe(401);
    expect((await request('POST', 'Bearer read-token')).status).toBe(403);
  });

  it('accepts a write with the write bearer token or the write basic credentials', async () => {
    expect((await request('POST', 'Bearer write-token')).status).toBe(201);
    expect((await request('POST', basic('ci', 'ci-pass'))).status).toBe(201);
  });

  it('needs a credential to read, and accepts the read or the write one', async () => {
    expect((await request('GET')).status).toBe(401);
    expect((await request('GET', 'Bearer read-token')).status).toBe(200);
    expect((await request('GET', 'Bearer write-token')).status).toBe(200);
  });

  it('refuses wrong credentials with 401 without echoing them', async () => {
    for (const authorization of [
      'Bearer write-token2',
      basic('ci', 'wrong-pass'),
      basic('ci', ''),
      'Token write-token',
    ]) {
      const res = await request('POST', authorization);
      expect(res.status).toBe(401);
      const text = await res.text();
      expect(text).toMatch(/"errors"/);
      expect(text).not.toContain('wrong-pass');
      expect(text).not.toContain('write-token');
    }
  });
});

describe('auth with public reads', () => {
  let running: RunningBroker;
  beforeAll(async () => {
    running = await startBroker(engines[0]!, { auth: { write: [{ token: 'w' }], publicRead: true } });
  });
  afterAll(async () => running?.stop());

  it('serves reads to anyone and still guards writes', async () => {
    expect((await fetch(`${running.url}/pacticipants`)).status).toBe(200);
    const write = await fetch(`${running.url}/pacticipants`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'X' }),
    });
    expect(write.status).toBe(401);
  });
});
