import { openPact, pactSha256, PactProviderMismatchError, readPactFile, resolvePactFiles } from '@cutover/core';
import type { Interaction, PactHeader, PactReference, PactStream } from '@cutover/core';
import { BrokerClient, brokerAuth, fetchPact, halLink, pactsForVerification } from '@cutover/broker-client';
import type { VerifyOptions } from './options.js';

/** A pact ready to verify, with where it came from. */
export interface LoadedPact {
  /** Interactions are built one at a time: a pact of tens of thousands never sits in memory as a model. */
  pact: PactStream;
  reference: PactReference;
  /** The broker marked the pact pending: its failures are reported but do not fail the run. */
  pending: boolean;
}

/**
 * One run verifies one provider: a pact for another one would be replayed against the wrong
 * service and its results reported under this provider's name, where the gate would trust them.
 */
function checkProvider(loaded: LoadedPact[], expected: { name: string; from: string } | undefined): void {
  const wanted = expected ?? (loaded[0] && { name: loaded[0].reference.provider, from: loaded[0].reference.source });
  for (const { reference } of loaded) {
    if (!wanted || reference.provider === wanted.name) continue;
    throw new PactProviderMismatchError(
      `Pact ${reference.source} is for provider ${JSON.stringify(reference.provider)}, but this run verifies ${JSON.stringify(wanted.name)} (${wanted.from}); verify each provider's pacts in a run of its own`,
      { details: { source: reference.source, provider: reference.provider, expected: wanted.name } },
    );
  }
}

/**
 * Loads every pact the options name, from files and/or the broker, checking each interaction as
 * `loadPact` does; `visit` sees each interaction with the position its pact will have in the list.
 * Every pact must name the same provider: `options.provider.name` (`--provider`) or the broker's
 * provider when given, else the first pact's.
 */
export async function loadPacts(
  options: VerifyOptions,
  cwd: string,
  visit: (pactIndex: number, interaction: Interaction, pact: PactHeader) => void = () => {},
): Promise<LoadedPact[]> {
  const loaded: LoadedPact[] = [];
  for (const file of await resolvePactFiles(options.pacts ?? [], cwd)) {
    const bytes = await readPactFile(file);
    // The pact stays as bytes, outside the JavaScript heap; its interactions are parsed one at a time.
    const pactIndex = loaded.length;
    const pact = openPact(bytes, { source: file, onInteraction: (i, header) => visit(pactIndex, i, header) });
    const digest = pactSha256(bytes);
    const entry: LoadedPact = {
      pact,
      reference: { consumer: pact.consumer.name, provider: pact.provider.name, source: file, sha256: digest },
      pending: false,
    };
    loaded.push(entry);
  }
  if (options.broker) {
    const { url, provider, timeoutMs, onNotice, ...query } = options.broker;
    const client = new BrokerClient({ url, auth: brokerAuth(query), timeoutMs });
    const selected = await pactsForVerification(client, {
      provider,
      ...(query.consumerVersionSelectors ? { consumerVersionSelectors: query.consumerVersionSelectors } : {}),
      ...(query.providerVersionBranch !== undefined ? { providerVersionBranch: query.providerVersionBranch } : {}),
      ...(query.includePendingStatus !== undefined ? { includePendingStatus: query.includePendingStatus } : {}),
      ...(query.includeWipPactsSince !== undefined ? { includeWipPactsSince: query.includeWipPactsSince } : {}),
    });
    for (const entry of selected) {
      // Notices for later (after verification, after publishing) describe what the broker will do with results.
      for (const notice of entry.notices)
        if (notice.when === undefined || notice.when === 'before_verification')
          onNotice?.({ pact: entry.url, text: notice.text });
      const content = await fetchPact(client, entry.url);
      const pactIndex = loaded.length;
      const pact = openPact(content, {
        source: entry.url,
        onInteraction: (i, header) => visit(pactIndex, i, header),
      });
      const reference: PactReference = {
        consumer: pact.consumer.name,
        provider: pact.provider.name,
        source: entry.url,
        sha256: pactSha256(JSON.stringify(content)),
      };
      const consumerVersion = halLink(content, 'pb:consumer-version')?.name;
      if (consumerVersion !== undefined) reference.consumerVersion = consumerVersion;
      const createdAt = content.createdAt;
      if (typeof createdAt === 'string') reference.createdAt = createdAt;
      loaded.push({ pact, reference, pending: entry.pending });
    }
  }
  const name = options.provider?.name ?? options.broker?.provider;
  checkProvider(
    loaded,
    name === undefined
      ? undefined
      : { name, from: options.provider?.name !== undefined ? '--provider' : 'the broker provider' },
  );
  return loaded;
}
