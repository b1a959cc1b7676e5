import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHADOW_FORMAT, type ShadowEvidence } from '@cutover/core';
import { engines, startBroker, type RunningBroker } from '../__fixtures__/engines.js';
import { call } from '../__fixtures__/pact-cli.js';
import { BrokerClient } from '../client/http.js';
import { listShadowRuns, publishShadowRun } from '../client/shadow.js';

const counts = {
  seen: 4,
  mirrored: 4,
  compared: 4,
  identical: 3,
  noiseOnly: 0,
  differing: 1,
  errored: 0,
  sampledOut: 0,
  dropped: 0,
  unsafeNotMirrored: 0,
};
const side = { requests: 4, errors: 0, errorRate: 0, latency: { count: 4, p50Ms: 3, p99Ms: 7 } };

function run(candidateVersion: string, finishedAt: string): ShadowEvidence {
  return {
    format: SHADOW_FORMAT,
    startedAt: '2026-01-01T09:00:00.000Z',
    finishedAt,
    mode: 'proxy',
    provider: 'logistics',
    candidateVersion,
    monolith: { url: 'http://monolith' },
    candidate: { url: 'http://candidate' },
    settings: { sampleRate: 1, mirrorUnsafe: false, maxPending: 64, monolithSamples: true },
    totals: counts,
    routes: [
      {
        method: 'GET',
        path: '/api/tracking/{id}',
        ...counts,
        monolith: side,
        candidate: side,
        differences: [],
        noise: [],
      },
    ],
    notes: [],
  };
}

describe.each(engines)('shadow evidence on $name', (engine) => {
  let running: RunningBroker;
  let client: BrokerClient;
  beforeAll(async () => {
    running = await startBroker(engine);
    client = new BrokerClient({ url: running.url });
  });
  afterAll(async () => running?.stop());

  it('stores shadow runs and lists them newest first per provider and candidate version', async () => {
    const first = await publishShadowRun(client, run('1.0.0', '2026-01-01T10:00:00.000Z'));
    expect(first).toMatchObject({
      recorded: true,
      location: expect.stringMatching(/\/cutover\/shadow\/\d+$/) as unknown,
    });
    await publishShadowRun(client, run('1.0.1', '2026-01-02T10:00:00.000Z'));
    await publishShadowRun(client, run('1.0.0', '2026-01-03T10:00:00.000Z'));
    const all = (await listShadowRuns(client, { provider: 'logistics' })) as ShadowEvidence[];
    expect(all.map((r) => [r.candidateVersion, r.finishedAt])).toEqual([
      ['1.0.0', '2026-01-03T10:00:00.000Z'],
      ['1.0.1', '2026-01-02T10:00:00.000Z'],
      ['1.0.0', '2026-01-01T10:00:00.000Z'],
    ]);
    const latest = (await listShadowRuns(client, {
      provider: 'logistics',
      candidateVersion: '1.0.0',
      limit: 1,
    })) as ShadowEvidence[];
    expect(latest).toHaveLength(1);
    expect(latest[0]).toMatchObject({ finishedAt: '2026-01-03T10:00:00.000Z', routes: [{ differing: 1 }] });
    expect(await listShadowRuns(client, { provider: 'other' })).toEqual([]);
    const self = (await call(first.recorded ? first.location! : '', 'GET', '')).body;
    expect(self).toMatchObject({ format: SHADOW_FORMAT, candidateVersion: '1.0.0' });
  });

  it('refuses a document that is not valid cutover.shadow/v1 with the JSON path, storing nothing', async () => {
    const lying = { ...run('9.9.9', '2026-01-04T10:00:00.000Z'), totals: { ...counts, compared: 40 } };
    const refused = await call(running.url, 'POST', '/cutover/shadow', lying);
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body.errors)).toContain(
      '$.totals.compared: is not identical + noiseOnly + differing',
    );
    const outcome = await publishShadowRun(client, { ...run('9.9.9', '2026-01-04T10:00:00.000Z'), format: 'other' });
    expect(outcome).toMatchObject({ recorded: false, warning: expect.stringMatching(/not published.*400/) as unknown });
    expect(await listShadowRuns(client, { candidateVersion: '9.9.9' })).toEqual([]);
  });
});
