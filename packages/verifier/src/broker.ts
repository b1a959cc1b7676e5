import { CutoverError, ErrorCodes } from '@cutover/core';
import { request } from 'undici';
import type { BrokerOptions, ConsumerVersionSelector } from './options.js';

/** A broker request failed or answered something unexpected. */
export class BrokerError extends CutoverError {
  constructor(message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(ErrorCodes.BROKER_FAILED, message, options);
  }
}

export interface BrokerAuth {
  username?: string;
  password?: string;
  token?: string;
}

/** A pact fetched from the broker, with what the "pacts for verification" API said about it. */
export interface BrokerPact {
  url: string;
  content: Record<string, unknown>;
  pending: boolean;
  shortDescription?: string;
}

function authHeader(auth: BrokerAuth): Record<string, string> {
  if (auth.token) return { authorization: `Bearer ${auth.token}` };
  if (auth.username !== undefined) {
    const pair = `${auth.username}:${auth.password ?? ''}`;
    return { authorization: `Basic ${Buffer.from(pair).toString('base64')}` };
  }
  return {};
}

/** Sends one JSON request to the broker; anything but 2xx with a JSON body (when expected) is a BrokerError. */
export async function brokerJson(
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  auth: BrokerAuth,
  body?: unknown,
  timeoutMs = 30_000,
): Promise<unknown> {
  let response;
  try {
    response = await request(url, {
      method,
      headers: {
        accept: 'application/hal+json, application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...authHeader(auth),
      },
      body: body === undefined ? null : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (cause) {
    throw new BrokerError(`Broker request ${method} ${url} failed: ${(cause as Error).message}`, {
      cause,
      details: { url },
    });
  }
  const text = await response.body.text();
  if (response.statusCode < 200 || response.statusCode > 299) {
    throw new BrokerError(
      `Broker answered HTTP ${response.statusCode} to ${method} ${url}${text ? `: ${text.slice(0, 300)}` : ''}`,
      { details: { url, status: response.statusCode } },
    );
  }
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new BrokerError(`Broker answered ${method} ${url} with a body that is not JSON`, { cause, details: { url } });
  }
}

function link(resource: unknown, relation: string): string | undefined {
  const links = (resource as { _links?: Record<string, unknown> } | undefined)?._links;
  const entry = links?.[relation] as { href?: unknown } | { href?: unknown }[] | undefined;
  const href = Array.isArray(entry) ? entry[0]?.href : entry?.href;
  return typeof href === 'string' ? href : undefined;
}

function absolute(href: string, base: string): string {
  return new URL(href, base.endsWith('/') ? base : `${base}/`).href;
}

const BOOLEAN_SELECTOR_KEYS = ['mainBranch', 'matchingBranch', 'deployed', 'released', 'deployedOrReleased', 'latest'];
const STRING_SELECTOR_KEYS = ['branch', 'fallbackBranch', 'environment', 'consumer', 'tag', 'fallbackTag'];
/** The consumer version selector keys Pact defines. */
export const CONSUMER_VERSION_SELECTOR_KEYS: readonly string[] = [...BOOLEAN_SELECTOR_KEYS, ...STRING_SELECTOR_KEYS];

/**
 * Checks consumer version selectors before anything is sent: each must be an object using only the
 * keys Pact defines, booleans and strings where Pact expects them. A misspelt key would otherwise
 * reach the broker, which may ignore it and select other pacts than meant.
 *
 * @example
 * validateConsumerVersionSelectors([{ mainBranch: true }, { deployedOrReleased: true }]);
 */
export function validateConsumerVersionSelectors(selectors: ConsumerVersionSelector[]): ConsumerVersionSelector[] {
  selectors.forEach((selector, index) => {
    const where = `Consumer version selector #${index + 1}`;
    if (!selector || typeof selector !== 'object' || Array.isArray(selector)) {
      throw new CutoverError(ErrorCodes.USAGE, `${where} must be a JSON object`);
    }
    for (const [key, value] of Object.entries(selector)) {
      if (!CONSUMER_VERSION_SELECTOR_KEYS.includes(key)) {
        throw new CutoverError(
          ErrorCodes.USAGE,
          `${where} has an unknown key ${JSON.stringify(key)}; known keys: ${CONSUMER_VERSION_SELECTOR_KEYS.join(', ')}`,
          { details: { selector: index, key } },
        );
      }
      const expected = BOOLEAN_SELECTOR_KEYS.includes(key) ? 'boolean' : 'string';
      if (typeof value !== expected) {
        throw new CutoverError(
          ErrorCodes.USAGE,
          `${where}: ${key} must be a ${expected}, got ${JSON.stringify(value)}`,
          { details: { selector: index, key } },
        );
      }
    }
  });
  return selectors;
}

/**
 * Fetches the pacts a provider must verify with the broker's "pacts for verification" API
 * (`POST /pacts/provider/{provider}/for-verification`), found through the HAL index.
 *
 * @example
 * const pacts = await fetchPactsForVerification({ url: 'https://broker', provider: 'logistics',
 *   consumerVersionSelectors: [{ mainBranch: true }, { deployedOrReleased: true }] });
 */
export async function fetchPactsForVerification(options: BrokerOptions): Promise<BrokerPact[]> {
  const selectors = validateConsumerVersionSelectors(
    options.consumerVersionSelectors ?? [{ mainBranch: true }, { deployedOrReleased: true }],
  );
  const base = options.url.replace(/\/+$/, '');
  const index = await brokerJson('GET', base, options);
  const template =
    link(index, 'pb:provider-pacts-for-verification') ?? `${base}/pacts/provider/{provider}/for-verification`;
  const url = absolute(template.replace('{provider}', encodeURIComponent(options.provider)), base);
  const body: Record<string, unknown> = {
    consumerVersionSelectors: selectors,
    includePendingStatus: options.includePendingStatus ?? options.providerVersionBranch !== undefined,
  };
  if (options.providerVersionBranch !== undefined) body.providerVersionBranch = options.providerVersionBranch;
  const answer = (await brokerJson('POST', url, options, body)) as { _embedded?: { pacts?: unknown[] } } | undefined;
  const entries = answer?._embedded?.pacts;
  if (!Array.isArray(entries)) {
    throw new BrokerError(`Broker answer from ${url} has no _embedded.pacts list`, { details: { url } });
  }
  const pacts: BrokerPact[] = [];
  for (const [i, entry] of entries.entries()) {
    const href = link(entry, 'self');
    if (href === undefined) {
      throw new BrokerError(`Broker answer from ${url} has no _links.self.href at _embedded.pacts[${i}]`, {
        details: { url },
      });
    }
    const pactUrl = absolute(href, base);
    const content = await brokerJson('GET', pactUrl, options);
    if (!content || typeof content !== 'object') {
      throw new BrokerError(`Broker pact ${pactUrl} is not a JSON object`, { details: { url: pactUrl } });
    }
    const properties = (entry as { verificationProperties?: { pending?: unknown } }).verificationProperties;
    const pact: BrokerPact = {
      url: pactUrl,
      content: content as Record<string, unknown>,
      pending: properties?.pending === true,
    };
    const description = (entry as { shortDescription?: unknown }).shortDescription;
    if (typeof description === 'string') pact.shortDescription = description;
    pacts.push(pact);
  }
  return pacts;
}

export { link as halLink, absolute as resolveHref };
