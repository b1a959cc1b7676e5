import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../__fixtures__/engines.js';
import { call, publishSample } from '../__fixtures__/pact-cli.js';
import { createBroker, type Broker } from '../index.js';

// Rendered pacts are cached by each broker; two brokers on one database stand for a team's
// instances behind a load balancer (or, on SQLite, a second process on the same file).
describe.each(engines)('rendered pacts served from the cache on $name', (engine) => {
  let first: Broker;
  let second: Broker;
  let a: string;
  let b: string;
  let drop: () => Promise<void>;
  const latest = (url: string) => fetch(`${url}/pacts/provider/Orders/consumer/Web/latest`);
  const interactionOf = async (res: Response) => {
    expect(res.status).toBe(200);
    const body = (await res.json()) as { interactions: { description: string }[]; _links: { self: { href: string } } };
    return {
      version: res.headers.get('x-pact-consumer-version'),
      description: body.interactions[0]!.description,
      self: body._links.self.href,
    };
  };

  beforeAll(async () => {
    const db = await engine.create();
    drop = db.drop;
    first = await createBroker({ database: db.config });
    second = await createBroker({ database: db.config });
    a = await first.listen({ port: 0 });
    b = await second.listen({ port: 0 });
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    await drop?.();
  });

  it('serves the newest pact right after a publish, also when another broker on the database took the publish', async () => {
    await publishSample(a, { consumer: 'Web', provider: 'Orders', version: '1', marker: 'one' });
    expect(await interactionOf(await latest(a))).toMatchObject({ version: '1' });
    expect(await interactionOf(await latest(b))).toMatchObject({ version: '1' });
    const before = (await interactionOf(await latest(a))).description;

    await publishSample(b, { consumer: 'Web', provider: 'Orders', version: '2', marker: 'two' });
    const fromA = await interactionOf(await latest(a));
    expect(fromA.version).toBe('2');
    expect(fromA.description).not.toBe(before);
    expect(fromA.self).toBe(`${a}/pacts/provider/Orders/consumer/Web/version/2`);
    expect(await interactionOf(await latest(b))).toEqual({
      ...fromA,
      self: `${b}/pacts/provider/Orders/consumer/Web/version/2`,
    });
  });

  it('names the new consumer version when it publishes content identical to an earlier one', async () => {
    await publishSample(a, { consumer: 'Web', provider: 'Orders', version: '3', marker: 'one' });
    const now = await interactionOf(await latest(b));
    expect(now.version).toBe('3');
    expect(now.self).toBe(`${b}/pacts/provider/Orders/consumer/Web/version/3`);
    const byVersion = await call(b, 'GET', '/pacts/provider/Orders/consumer/Web/version/1');
    expect(byVersion.body._links.self.href).toBe(`${b}/pacts/provider/Orders/consumer/Web/version/1`);
  });

  it('builds links for the host each request names, not the one that filled the cache', async () => {
    const res = await fetch(`${a}/pacts/provider/Orders/consumer/Web/latest`, {
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'broker.example.com' },
    });
    expect((await interactionOf(res)).self).toBe(
      'https://broker.example.com/pacts/provider/Orders/consumer/Web/version/3',
    );
  });

  it('stops serving a pact whose publication was deleted (as retention deletes old versions)', async () => {
    const db = second.storage.db;
    const version = await db
      .selectFrom('versions')
      .innerJoin('pacticipants', 'pacticipants.id', 'versions.pacticipant_id')
      .select('versions.id')
      .where('pacticipants.name', '=', 'Web')
      .where('versions.number', '=', '3')
      .executeTakeFirstOrThrow();
    await db.deleteFrom('pact_publications').where('consumer_version_id', '=', version.id).execute();
    expect(await interactionOf(await latest(a))).toMatchObject({ version: '2' });
  });
});
