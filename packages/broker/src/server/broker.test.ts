import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, postgresSkipReason, startBroker, type RunningBroker } from '../__fixtures__/engines.js';

if (postgresSkipReason) console.warn(postgresSkipReason);

describe.each(engines)('broker basics on $name', (engine) => {
  let running: RunningBroker;
  beforeAll(async () => {
    running = await startBroker(engine);
  });
  afterAll(async () => running?.stop());

  it('serves the HAL index with absolute, templated relations', async () => {
    const res = await fetch(`${running.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/hal+json;charset=utf-8');
    const body = (await res.json()) as { _links: Record<string, { href: string; templated?: boolean }> };
    expect(body._links['pb:pacticipant']).toEqual({
      href: `${running.url}/pacticipants/{pacticipant}`,
      templated: true,
      title: 'Fetch pacticipant by name',
    });
    expect(body._links['pb:publish-contracts']!.href).toBe(`${running.url}/contracts/publish`);
  });

  it('builds links from X-Forwarded-Proto and X-Forwarded-Host', async () => {
    const res = await fetch(`${running.url}/`, {
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'broker.example.com' },
    });
    const body = (await res.json()) as { _links: Record<string, { href: string }> };
    expect(body._links['pb:pacticipants']!.href).toBe('https://broker.example.com/pacticipants');
  });

  it('answers invalid JSON with 400 and an errors body', async () => {
    const res = await fetch(`${running.url}/pacticipants`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name":',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ errors: [expect.any(String)] });
  });

  it('answers a body over the size limit with 413 and an errors body', async () => {
    const res = await fetch(`${running.url}/pacticipants`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x'.repeat(11 * 1024 * 1024) }),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ errors: [expect.any(String)] });
  });

  it('answers an unknown path with 404 and an errors body', async () => {
    const res = await fetch(`${running.url}/nothing/here`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { errors: string[] }).errors[0]).toMatch(/GET \/nothing\/here/);
  });

  it('creates a pacticipant with a slash and unicode in its name and reads it back', async () => {
    const name = 'Team/Ünïcode ✓';
    const res = await fetch(`${running.url}/pacticipants`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name, repositoryUrl: 'http://repo' }),
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { _links: { self: { href: string } } };
    expect(created._links.self.href).toBe(`${running.url}/pacticipants/${encodeURIComponent(name)}`);
    const read = await fetch(created._links.self.href);
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ name, repositoryUrl: 'http://repo' });
  });

  it('rejects a pacticipant body with wrong types, storing nothing', async () => {
    const res = await fetch(`${running.url}/pacticipants`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 42 }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ errors: expect.any(Object) });
    const list = (await (await fetch(`${running.url}/pacticipants`)).json()) as { pacticipants: { name: string }[] };
    expect(list.pacticipants.map((p) => p.name)).not.toContain('42');
  });
});
