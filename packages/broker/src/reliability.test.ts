import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, startBroker, type RunningBroker } from './__fixtures__/engines.js';
import { samplePact } from './__fixtures__/pact-cli.js';

/** A small deterministic PRNG, so a failing fuzz case can be replayed. */
function prng(seed: number) {
  return () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
}

const ODD_NAMES = [
  '..',
  '%2F',
  'a/b',
  '%00',
  '\u0000',
  ' ',
  'Ünï/cødé',
  'x'.repeat(10 * 1024),
  '%E0%A4%A',
  '{}',
  "' OR 1=1 --",
];
const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64');

/** Requests that must all be refused: each is wrong in at least one way the broker must notice. */
function badRequests(count: number): { method: string; path: string; body?: string; contentType?: string }[] {
  const rnd = prng(42);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const odd = () => encodeURIComponent(pick(ODD_NAMES));
  const wrongType = () => pick<unknown>([42, true, null, [], { a: 1 }, 'x'.repeat(300), -1.5]);
  const makers: (() => { method: string; path: string; body?: string; contentType?: string })[] = [
    () => ({
      method: 'POST',
      path: '/contracts/publish',
      body: pick(['{', '[]', 'null', '"x"', '{"pacticipantName":']),
    }),
    () => ({
      method: 'POST',
      path: '/contracts/publish',
      body: JSON.stringify({
        pacticipantName: pick(['Web', wrongType()]),
        pacticipantVersionNumber: pick(['1', wrongType()]),
        contracts: pick([
          [],
          [
            {
              consumerName: 'Web',
              providerName: 'Orders',
              specification: 'pact',
              contentType: 'application/json',
              content: pick([
                '%%%',
                b64('not json'),
                b64({ hello: 1 }),
                b64({ consumer: { name: 'Other' }, provider: { name: 'Orders' }, interactions: [] }),
              ]),
            },
          ],
          [
            {
              consumerName: 'Web',
              providerName: wrongType(),
              specification: 'pact',
              contentType: 'application/json',
              content: b64(samplePact('Web', 'Orders')),
            },
          ],
          wrongType(),
        ]),
      }),
    }),
    () => ({
      method: 'PUT',
      path: `/pacts/provider/Orders/consumer/${odd()}/version/1`,
      body: JSON.stringify(pick<unknown>([{ hello: 'world' }, [], samplePact('Web', 'Orders')])),
    }),
    () => ({
      method: 'PUT',
      path: `/pacts/provider/Orders/consumer/Web/version/1`,
      body: JSON.stringify({
        consumer: { name: 'Web' },
        provider: { name: 'Orders' },
        interactions: pick<unknown>([42, true, 'x', { a: 1 }, null]),
      }),
    }),
    () => ({
      method: 'POST',
      path: '/pacticipants',
      body: JSON.stringify({ name: pick<unknown>([wrongType(), '', 'x'.repeat(10 * 1024)]) }),
    }),
    () => ({
      method: 'PATCH',
      path: `/pacticipants/${odd()}`,
      body: JSON.stringify({ repositoryUrl: pick<unknown>([42, [], { a: 1 }, 'x'.repeat(5000)]) }),
    }),
    () => ({ method: 'PUT', path: `/pacticipants/Web/versions/${encodeURIComponent('x'.repeat(300))}/tags/prod` }),
    () => ({
      method: 'POST',
      path: '/environments',
      body: JSON.stringify({ name: pick<unknown>(['has space', '', wrongType(), 'a/b']), production: wrongType() }),
    }),
    () => ({ method: 'POST', path: `/pacticipants/Web/versions/1/deployed-versions/environment/${odd()}`, body: '{}' }),
    () => ({
      method: 'POST',
      path: `/pacts/provider/Orders/consumer/Web/pact-version/${odd()}/verification-results`,
      body: JSON.stringify({ success: wrongType(), providerApplicationVersion: '1' }),
    }),
    () => ({
      method: 'POST',
      path: '/webhooks',
      body: JSON.stringify({
        events: pick<unknown>([[], [{ name: 'nope' }], wrongType()]),
        request: { method: 'POST', url: pick(['file:///etc/passwd', 'not a url', 'gopher://x']) },
      }),
    }),
    () => ({
      method: 'POST',
      path: '/pacts/provider/Orders/for-verification',
      body: JSON.stringify({
        consumerVersionSelectors: pick<unknown>([
          42,
          'x',
          { a: 1 },
          [{ colour: 'red' }],
          [{ fallbackTag: 'x' }],
          [{ branch: 'a', tag: 'b' }],
        ]),
      }),
    }),
    () => ({
      method: 'POST',
      path: '/cutover/decisions',
      body: JSON.stringify({
        format: pick(['cutover.gate-decision/v2', 42]),
        decidedAt: 'yesterday',
        outcome: 'allowed',
        routes: wrongType(),
      }),
    }),
    () => ({
      method: 'POST',
      path: '/pacticipants',
      body: 'name=Web',
      contentType: 'application/x-www-form-urlencoded',
    }),
    () => ({ method: 'GET', path: `/matrix?q[][version]=1&latestby=${pick(['x', 'cvp'])}` }),
  ];
  // A body over the size limit costs seconds to send: a few are enough to prove the limit.
  const huge = { method: 'POST', path: '/pacticipants', body: JSON.stringify({ name: 'x'.repeat(11 * 1024 * 1024) }) };
  return Array.from({ length: count }, (_, i) => (i % 300 === 0 ? huge : makers[i % makers.length]!()));
}

const TABLES = [
  'pacticipants',
  'versions',
  'tags',
  'branches',
  'pact_versions',
  'pact_publications',
  'verifications',
  'environments',
  'deployed_versions',
  'webhooks',
  'decisions',
] as const;

describe.each(engines)('reliability on $name', (engine) => {
  let running: RunningBroker;
  beforeAll(async () => {
    running = await startBroker(engine);
  });
  afterAll(async () => running?.stop());

  it('answers 1,200 generated bad requests across the write endpoints with 4xx and an errors body, storing nothing', async () => {
    const requests = badRequests(1200);
    const unexpected: string[] = [];
    for (let i = 0; i < requests.length; i += 20) {
      await Promise.all(
        requests.slice(i, i + 20).map(async (r, j) => {
          const res = await fetch(`${running.url}${r.path}`, {
            method: r.method,
            headers: r.body === undefined ? {} : { 'content-type': r.contentType ?? 'application/json' },
            ...(r.body === undefined ? {} : { body: r.body }),
          });
          const text = await res.text();
          let errors: unknown;
          try {
            errors = (JSON.parse(text) as { errors?: unknown }).errors;
          } catch {
            errors = undefined;
          }
          if (res.status < 400 || res.status >= 500 || errors === undefined)
            unexpected.push(
              `#${i + j} ${r.method} ${r.path.slice(0, 120)} ${(r.body ?? '').slice(0, 120)} → ${res.status} ${text.slice(0, 200)}`,
            );
        }),
      );
    }
    expect(unexpected).toEqual([]);
    for (const table of TABLES) {
      const { n } = await running.broker.storage.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(n), table).toBe(0);
    }
  }, 120_000);

  it('stores all 1,000 pacts of 50 concurrent publishers × 20 pacts, with no 5xx', async () => {
    const statuses: number[] = [];
    await Promise.all(
      Array.from({ length: 50 }, async (_, publisher) => {
        for (let n = 0; n < 20; n++) {
          const consumer = `Consumer-${publisher}`;
          const provider = `Provider-${n % 5}`;
          const res = await fetch(`${running.url}/contracts/publish`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              pacticipantName: consumer,
              pacticipantVersionNumber: `v${n}`,
              branch: 'main',
              tags: ['ci'],
              contracts: [
                {
                  consumerName: consumer,
                  providerName: provider,
                  specification: 'pact',
                  contentType: 'application/json',
                  content: b64(samplePact(consumer, provider, `${publisher}-${n}`)),
                },
              ],
            }),
          });
          statuses.push(res.status);
          await res.arrayBuffer();
        }
      }),
    );
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    const { n } = await running.broker.storage.db
      .selectFrom('pact_publications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(n)).toBe(1000);
  }, 120_000);
});
