import { UsageError } from '@cutover/core';
import { halLinks, indexHref } from './hal.js';
import type { BrokerClient } from './http.js';

/** One pact to publish: its JSON (object or text); consumer and provider default to the pact's own names. */
export interface ContractToPublish {
  content: Record<string, unknown> | string;
  consumerName?: string;
  providerName?: string;
}

export interface PublishContractsRequest {
  pacticipant: string;
  version: string;
  branch?: string;
  tags?: string[];
  buildUrl?: string;
  contracts: ContractToPublish[];
}

export interface PublishContractsResult {
  /** What the broker said, as `pact broker publish` prints it (`type`: info, warning, error, …). */
  notices: { type?: string; text: string }[];
  /** The broker's answer, links included. */
  answer: Record<string, unknown>;
}

function pactName(pact: unknown, role: 'consumer' | 'provider'): string | undefined {
  const name = (pact as Record<string, { name?: unknown } | undefined> | null)?.[role]?.name;
  return typeof name === 'string' ? name : undefined;
}

/**
 * Publishes a consumer version's pacts in one request, as `pact broker publish` does
 * (`POST /contracts/publish`, found through the HAL index): the version, its branch and tags, and
 * each pact base64-encoded. The broker stores all of it or none; publishing changed content for a
 * version that already has a pact is refused (HTTP 409, a {@link BrokerError} with `status` 409).
 *
 * @example
 * await publishContracts(client, { pacticipant: 'web-app', version: gitSha, branch: 'main', contracts: [{ content: pact }] });
 */
export async function publishContracts(
  client: BrokerClient,
  request: PublishContractsRequest,
): Promise<PublishContractsResult> {
  const contracts = request.contracts.map((contract, i) => {
    const text = typeof contract.content === 'string' ? contract.content : JSON.stringify(contract.content);
    let parsed: unknown = contract.content;
    if (typeof contract.content === 'string') {
      try {
        parsed = JSON.parse(contract.content);
      } catch (cause) {
        throw new UsageError(`Contract #${i + 1} of ${request.pacticipant} ${request.version} is not JSON`, { cause });
      }
    }
    const consumerName = contract.consumerName ?? pactName(parsed, 'consumer');
    const providerName = contract.providerName ?? pactName(parsed, 'provider');
    if (consumerName === undefined || providerName === undefined)
      throw new UsageError(
        `Contract #${i + 1} of ${request.pacticipant} ${request.version} names no consumer or provider (consumer.name, provider.name)`,
      );
    return {
      consumerName,
      providerName,
      specification: 'pact',
      contentType: 'application/json',
      content: Buffer.from(text).toString('base64'),
    };
  });
  const body: Record<string, unknown> = {
    pacticipantName: request.pacticipant,
    pacticipantVersionNumber: request.version,
    contracts,
  };
  if (request.branch !== undefined) body.branch = request.branch;
  if (request.tags !== undefined) body.tags = request.tags;
  if (request.buildUrl !== undefined) body.buildUrl = request.buildUrl;
  const url = await indexHref(client, 'pb:publish-contracts', '/contracts/publish');
  const { json } = await client.send('POST', url, body);
  const answer = (json && typeof json === 'object' ? json : {}) as Record<string, unknown>;
  const notices = Array.isArray(answer.notices)
    ? (answer.notices as { type?: unknown; text?: unknown }[]).flatMap((n) =>
        typeof n?.text === 'string' ? [{ text: n.text, ...(typeof n.type === 'string' ? { type: n.type } : {}) }] : [],
      )
    : [];
  return { notices, answer };
}

export interface Environment {
  uuid: string;
  name: string;
  displayName?: string;
  production: boolean;
}

/** Creates an environment (`POST /environments`); returns it with the UUID the broker gave it. */
export async function createEnvironment(
  client: BrokerClient,
  environment: { name: string; displayName?: string; production?: boolean },
): Promise<Environment> {
  const url = client.resolve('environments');
  const { json } = await client.send('POST', url, { production: false, ...environment });
  const created = json as Partial<Environment> | undefined;
  if (typeof created?.uuid !== 'string') throw client.unexpected('POST', url, 'the answer has no environment "uuid"');
  return { ...environment, production: environment.production ?? false, ...created } as Environment;
}

/** Every environment the broker knows (`GET /environments`). */
export async function listEnvironments(client: BrokerClient): Promise<Environment[]> {
  const url = client.resolve('environments');
  const { json } = await client.get(url);
  const list = (json as { _embedded?: { environments?: unknown } } | undefined)?._embedded?.environments;
  if (!Array.isArray(list)) throw client.unexpected('GET', url, 'the answer has no _embedded.environments list');
  return list as Environment[];
}

async function recordIn(
  client: BrokerClient,
  relation: 'pb:record-deployment' | 'pb:record-release',
  request: { pacticipant: string; version: string; environment: string },
  body: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const url = await indexHref(client, 'pb:pacticipant-version', '/pacticipants/{pacticipant}/versions/{version}', {
    pacticipant: request.pacticipant,
    version: request.version,
  });
  const { json } = await client.get(url);
  const links = halLinks(json, relation) ?? [];
  const link = links.find((l) => l.name === request.environment);
  if (!link)
    throw client.unexpected(
      'GET',
      url,
      `no "${relation}" link for environment "${request.environment}" (the broker offers: ${links.map((l) => l.name).join(', ') || 'none'}); create the environment first`,
    );
  const answer = await client.send('POST', link.href, body);
  return (answer.json ?? {}) as Record<string, unknown>;
}

/**
 * Records that a pacticipant version is deployed to an environment, as `pact broker record-deployment`
 * does: the version resource's `pb:record-deployment` link for that environment.
 */
export function recordDeployment(
  client: BrokerClient,
  request: { pacticipant: string; version: string; environment: string; applicationInstance?: string },
): Promise<Record<string, unknown>> {
  const body = request.applicationInstance !== undefined ? { applicationInstance: request.applicationInstance } : {};
  return recordIn(client, 'pb:record-deployment', request, body);
}

/** Records that a pacticipant version is released to an environment (`pb:record-release`). */
export function recordRelease(
  client: BrokerClient,
  request: { pacticipant: string; version: string; environment: string },
): Promise<Record<string, unknown>> {
  return recordIn(client, 'pb:record-release', request, {});
}
