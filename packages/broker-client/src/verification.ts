import { halLink, halLinks, indexHref, type HalLink } from './hal.js';
import type { BrokerClient } from './http.js';
import { validateConsumerVersionSelectors, type ConsumerVersionSelector } from './selectors.js';

/** What the provider asks the "pacts for verification" API for. */
export interface PactsForVerificationQuery {
  provider: string;
  /** Default: `[{ mainBranch: true }, { deployedOrReleased: true }]`, as the Pact docs recommend. */
  consumerVersionSelectors?: ConsumerVersionSelector[];
  /** The provider branch being verified; the broker computes pending and WIP pacts for it. */
  providerVersionBranch?: string;
  providerVersionTags?: string[];
  /** Default: true when a provider branch is given (pending needs one). */
  includePendingStatus?: boolean;
  /** Include work-in-progress pacts published since this date (`YYYY-MM-DD` or ISO 8601); needs a branch. */
  includeWipPactsSince?: string;
}

/** A notice the broker attaches to a pact (why it was selected, whether it is pending, …). */
export interface BrokerNotice {
  when?: string;
  text: string;
}

/** One pact the broker selected for verification. */
export interface PactForVerification {
  /** The pact's URL (absolute). */
  url: string;
  /** Failures of a pending pact do not fail the provider's build. */
  pending: boolean;
  /** Selected as a work-in-progress pact (`includeWipPactsSince`). */
  wip: boolean;
  shortDescription?: string;
  notices: BrokerNotice[];
}

/**
 * Asks the broker which pacts a provider must verify (`POST /pacts/provider/{provider}/for-verification`,
 * found through the HAL index), with consumer version selectors, pending and WIP pacts. Selectors are
 * checked before anything is sent.
 *
 * @example
 * const pacts = await pactsForVerification(client, { provider: 'logistics', providerVersionBranch: 'main',
 *   consumerVersionSelectors: [{ mainBranch: true }, { deployedOrReleased: true }] });
 */
export async function pactsForVerification(
  client: BrokerClient,
  query: PactsForVerificationQuery,
): Promise<PactForVerification[]> {
  const selectors = validateConsumerVersionSelectors(
    query.consumerVersionSelectors ?? [{ mainBranch: true }, { deployedOrReleased: true }],
  );
  const url = await indexHref(
    client,
    'pb:provider-pacts-for-verification',
    '/pacts/provider/{provider}/for-verification',
    { provider: query.provider },
  );
  const body: Record<string, unknown> = {
    consumerVersionSelectors: selectors,
    includePendingStatus: query.includePendingStatus ?? query.providerVersionBranch !== undefined,
  };
  if (query.providerVersionBranch !== undefined) body.providerVersionBranch = query.providerVersionBranch;
  if (query.providerVersionTags !== undefined) body.providerVersionTags = query.providerVersionTags;
  if (query.includeWipPactsSince !== undefined) body.includeWipPactsSince = query.includeWipPactsSince;
  const { json } = await client.send('POST', url, body);
  const entries = (json as { _embedded?: { pacts?: unknown } } | undefined)?._embedded?.pacts;
  if (!Array.isArray(entries)) throw client.unexpected('POST', url, 'the answer has no _embedded.pacts list');
  return entries.map((entry, i) => {
    const self = halLink(entry, 'self');
    if (self === undefined)
      throw client.unexpected('POST', url, `the answer has no _links.self.href at _embedded.pacts[${i}]`);
    const properties = (entry as { verificationProperties?: { pending?: unknown; wip?: unknown; notices?: unknown } })
      .verificationProperties;
    const notices = Array.isArray(properties?.notices)
      ? properties.notices.flatMap((n: { when?: unknown; text?: unknown }) =>
          typeof n?.text === 'string'
            ? [{ text: n.text, ...(typeof n.when === 'string' ? { when: n.when } : {}) }]
            : [],
        )
      : [];
    const description = (entry as { shortDescription?: unknown }).shortDescription;
    return {
      url: client.resolve(self.href),
      pending: properties?.pending === true,
      wip: properties?.wip === true,
      notices,
      ...(typeof description === 'string' ? { shortDescription: description } : {}),
    };
  });
}

/** Fetches one pact (with its `_links`) from the broker; it must be a JSON object. */
export async function fetchPact(client: BrokerClient, url: string): Promise<Record<string, unknown>> {
  const { json } = await client.get(url);
  if (!json || typeof json !== 'object' || Array.isArray(json))
    throw client.unexpected('GET', client.resolve(url), 'the pact is not a JSON object');
  return json as Record<string, unknown>;
}

/**
 * The latest pact of every consumer of a provider (`GET /pacts/provider/{provider}/latest`): its
 * `pb:pacts` links, absolute, each named after its consumer.
 */
export async function latestProviderPacts(client: BrokerClient, provider: string): Promise<HalLink[]> {
  const url = client.resolve(`pacts/provider/${encodeURIComponent(provider)}/latest`);
  const { json } = await client.get(url);
  const links = halLinks(json, 'pb:pacts', 'pacts');
  if (!links) throw client.unexpected('GET', url, 'the answer has no "pb:pacts" links; is this a Pact Broker?');
  return links.map((link) => ({ ...link, href: client.resolve(link.href) }));
}

/**
 * Creates (or confirms) a pacticipant version on a branch, as stock clients do before publishing
 * verification results: `PUT /pacticipants/{pacticipant}/branches/{branch}/versions/{version}`.
 */
export async function createBranchVersion(
  client: BrokerClient,
  version: { pacticipant: string; branch: string; version: string },
): Promise<void> {
  const e = encodeURIComponent;
  await client.send(
    'PUT',
    `pacticipants/${e(version.pacticipant)}/branches/${e(version.branch)}/versions/${e(version.version)}`,
    {},
  );
}

/**
 * Where a pact's verification results go: its `pb:publish-verification-results` link, on the
 * broker's origin. A pact without one (a file) is refused, naming `source`.
 */
export function verificationResultsUrl(client: BrokerClient, pact: unknown, source = 'the pact'): string {
  const link = halLink(pact, 'pb:publish-verification-results');
  if (link === undefined)
    throw client.unexpected(
      'POST',
      client.baseUrl,
      `${source} has no pb:publish-verification-results link: only pacts fetched from a broker can have results published`,
    );
  return client.target(link.href, 'POST');
}

/**
 * Posts verification results to a pact's `pb:publish-verification-results` link; the pact is the
 * JSON fetched from the broker. Returns the URL posted to.
 *
 * @example
 * await publishVerificationResult(client, pact, { success: true, providerApplicationVersion: '1.2.3', testResults });
 */
export async function publishVerificationResult(
  client: BrokerClient,
  pact: unknown,
  result: Record<string, unknown>,
  source = 'the pact',
): Promise<string> {
  const url = verificationResultsUrl(client, pact, source);
  await client.send('POST', url, result);
  return url;
}
