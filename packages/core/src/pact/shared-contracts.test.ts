import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { matchRequest, matchResponse } from '../matching/index.js';
import { loadPact } from './load.js';

// The Pact Broker client's own contracts, written by its Ruby consumer tests (so their regexes
// are Ruby's `Regexp#to_s`, e.g. `(?-mix:application\/hal\+json.*)`), live beside the repository.
const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../../..');
const contracts = resolve(
  repoRoot,
  process.env.PACT_BROKER_CLIENT_CONTRACTS ?? '../shared/pact-broker-client-contracts',
);
const available = existsSync(contracts);
const files = available ? readdirSync(contracts).filter((f) => f.endsWith('.json')) : [];

const suite = available ? describe : describe.skip;

suite(`Pact Broker client contracts (${contracts})`, () => {
  it('finds them', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s loads, and each example satisfies its own Ruby-syntax matchers', async (file) => {
    const path = join(contracts, file);
    const pact = await loadPact(path);
    expect(pact.interactions.length).toBeGreaterThan(0);
    const raw = JSON.parse(readFileSync(path, 'utf8')) as {
      interactions: { description: string; request: unknown; response: unknown }[];
      metadata?: { pactSpecification?: { version?: string } };
    };
    const options = { specVersion: raw.metadata?.pactSpecification?.version ?? '2.0.0' };
    for (const interaction of raw.interactions) {
      const request = matchRequest(interaction.request, interaction.request, options);
      const response = matchResponse(interaction.response, interaction.response, options);
      const label = `${file}: ${interaction.description}`;
      expect(
        request.mismatches.map((m) => m.message),
        label,
      ).toEqual([]);
      expect(
        response.mismatches.map((m) => m.message),
        label,
      ).toEqual([]);
    }
  });
});

if (!available) {
  const reason = `skipped: the Pact Broker client contracts are not at ${contracts} (put shared/pact-broker-client-contracts beside the repository, or set PACT_BROKER_CLIENT_CONTRACTS, to run them)`;
  console.warn(`pact broker client contracts ${reason}`);
  describe('Pact Broker client contracts', () => {
    it.skip(reason, () => {});
  });
}
