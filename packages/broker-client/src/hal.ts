import type { BrokerClient } from './http.js';

/** A HAL link as the Pact Broker writes them. */
export interface HalLink {
  href: string;
  name?: string;
  title?: string;
  templated?: boolean;
}

function isLink(value: unknown): value is HalLink {
  return typeof value === 'object' && value !== null && typeof (value as { href?: unknown }).href === 'string';
}

/**
 * Every link of a HAL resource under one of the relations (the first relation present wins); a
 * single link and a list of links read the same.
 *
 * @example
 * halLinks(providerPacts, 'pb:pacts', 'pacts'); // [{ href, name: 'web-app' }, …]
 */
export function halLinks(resource: unknown, ...relations: string[]): HalLink[] | undefined {
  const links = (resource as { _links?: Record<string, unknown> } | null | undefined)?._links;
  if (!links || typeof links !== 'object') return undefined;
  for (const relation of relations) {
    const value = links[relation];
    if (Array.isArray(value)) return value.filter(isLink);
    if (isLink(value)) return [value];
  }
  return undefined;
}

/** The first link of a HAL resource under one of the relations. */
export function halLink(resource: unknown, ...relations: string[]): HalLink | undefined {
  return halLinks(resource, ...relations)?.[0];
}

/**
 * Fills a templated href (`/pacts/provider/{provider}/for-verification`) with URL-encoded values;
 * a placeholder without a value is an error rather than a request to a literal `{name}`.
 */
export function expandHref(href: string, values: Record<string, string>): string {
  return href.replace(/\{([^}]+)\}/g, (placeholder, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for ${placeholder} in ${href}`);
    return encodeURIComponent(value);
  });
}

/**
 * The URL of a relation of the broker's index (`GET /`), filled with `values`; `fallback` (a path
 * template relative to the base URL) when the index does not offer the relation. The index is
 * fetched once per client.
 */
export async function indexHref(
  client: BrokerClient,
  relation: string,
  fallback: string,
  values: Record<string, string> = {},
): Promise<string> {
  const index = await brokerIndex(client);
  const template = halLink(index, relation)?.href ?? fallback;
  try {
    return client.resolve(expandHref(template, values));
  } catch (cause) {
    throw client.unexpected(
      'GET',
      client.baseUrl,
      `the index's "${relation}" link cannot be filled: ${(cause as Error).message}`,
    );
  }
}

const indexes = new WeakMap<BrokerClient, Promise<unknown>>();

/** The broker's HAL index (`GET /`), fetched once per client; a failed fetch is retried next time. */
export function brokerIndex(client: BrokerClient): Promise<unknown> {
  let index = indexes.get(client);
  if (!index) {
    index = client.get(client.baseUrl).then((response) => response.json);
    index.catch(() => indexes.delete(client));
    indexes.set(client, index);
  }
  return index;
}
