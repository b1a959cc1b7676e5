import { describe, expect, it } from 'vitest';
import { runVerify } from './run.js';
import { startServer, v3Pact, writePacts } from './testing/index.js';

const interaction = {
  description: 'get shipment 1',
  request: { method: 'GET', path: '/shipments/1' },
  response: { status: 200 },
};

describe('one provider per run', () => {
  it('refuses a pact for another provider than the one named, naming the file and its provider', async () => {
    const { files } = await writePacts([v3Pact('web-app', 'billing', [interaction])]);
    await expect(
      runVerify({ pacts: files, monolith: { url: 'http://127.0.0.1:9' }, provider: { name: 'logistics' } }),
    ).rejects.toMatchObject({
      code: 'CUTOVER_PACT_PROVIDER_MISMATCH',
      message: expect.stringContaining(
        `Pact ${files[0]!} is for provider "billing", but this run verifies "logistics"`,
      ),
      details: { source: files[0]!, provider: 'billing', expected: 'logistics' },
    });
  });

  it('refuses pacts of two providers in one run without --provider', async () => {
    const { files } = await writePacts([
      v3Pact('web-app', 'logistics', [interaction]),
      v3Pact('web-app', 'billing', [interaction]),
    ]);
    await expect(runVerify({ pacts: files, monolith: { url: 'http://127.0.0.1:9' } })).rejects.toMatchObject({
      code: 'CUTOVER_PACT_PROVIDER_MISMATCH',
      message: expect.stringMatching(
        /is for provider "billing", but this run verifies "logistics" \(.*web-app-0\.json\)/,
      ),
    });
  });

  it("records the filters and each result's position in its pact", async () => {
    const server = await startServer({ 'GET /shipments/*': () => ({ body: {} }) });
    try {
      const second = {
        ...interaction,
        description: 'get shipment 2',
        request: { method: 'GET', path: '/shipments/2' },
      };
      const { files } = await writePacts([v3Pact('web-app', 'logistics', [interaction, second])]);
      const report = await runVerify({
        pacts: files,
        monolith: { url: server.url },
        provider: { name: 'logistics' },
        filters: { descriptions: ['shipment 2'], routes: [] },
      });
      expect(report.filters).toEqual({ descriptions: ['shipment 2'] });
      expect(report.results.map((r) => [r.pact, r.index, r.description])).toEqual([[0, 1, 'get shipment 2']]);
      const all = await runVerify({ pacts: files, monolith: { url: server.url } });
      expect(all.filters).toBeUndefined();
      expect(all.results.map((r) => r.index)).toEqual([0, 1]);
    } finally {
      await server.close();
    }
  });
});
