import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDecisions } from '@cutover/broker-client';
import { publishPacts, recordedDecision, startDemoBroker, type DemoBroker } from './broker.js';

describe('the demo broker', () => {
  let broker: DemoBroker;
  beforeAll(async () => {
    broker = await startDemoBroker({});
  });
  afterAll(async () => broker?.close());

  it('starts an embedded broker on a free port when PACT_BROKER_BASE_URL is not set', async () => {
    expect(broker.embedded).toBe(true);
    expect(broker.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(broker.url)).status).toBe(200);
    expect(await listDecisions(broker.client)).toEqual([]);
    expect(await recordedDecision(broker, 'tracking', 'v1')).toBeUndefined();
  });

  it('uses the broker PACT_BROKER_BASE_URL names, starting none', async () => {
    const outside = await startDemoBroker({ PACT_BROKER_BASE_URL: broker.url, PACT_BROKER_TOKEN: 't' });
    expect(outside).toMatchObject({ url: broker.url, embedded: false });
  });

  it('says loudly why the stock Pact CLI cannot run and publishes the same pacts with the client', async () => {
    const lines: string[] = [];
    const how = await publishPacts(broker, {
      pactDir: 'contracts/pacts',
      version: 'fallback-1',
      branch: 'demo',
      echo: (line) => lines.push(line),
      pactCli: '/nonexistent/pact.js',
    });
    expect(how).toBe('fallback');
    expect(lines.join('\n')).toMatch(/⚠ the stock Pact CLI cannot run here: .*\/nonexistent\/pact\.js does not exist/);
    for (const consumer of ['web-app', 'mobile-app']) {
      const pact = await fetch(`${broker.url}/pacts/provider/logistics/consumer/${consumer}/version/fallback-1`);
      expect(pact.status).toBe(200);
    }
  });
});
