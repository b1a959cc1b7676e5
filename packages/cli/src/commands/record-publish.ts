import { UsageError } from '@cutover/core';
import { BrokerClient, publishContracts, resolveBrokerConnection } from '@cutover/broker-client';
import type { PactDocument } from '@cutover/recorder';
import type { CliIo } from '../context.js';

export interface PublishTarget {
  client: BrokerClient;
  version: string;
  branch?: string;
  tags?: string[];
  buildUrl?: string;
}

/** Checks the `--publish` options before the proxy starts, so a mistake is not found after hours of recording. */
export function publishTarget(
  args: {
    'consumer-version'?: string;
    branch?: string;
    tag?: string[];
    'build-url'?: string;
    'broker-url'?: string;
    'broker-token'?: string;
    'broker-username'?: string;
    'broker-password'?: string;
  },
  io: Pick<CliIo, 'env'>,
): PublishTarget {
  const { url, auth } = resolveBrokerConnection(
    {
      url: args['broker-url'],
      token: args['broker-token'],
      username: args['broker-username'],
      password: args['broker-password'],
    },
    io.env,
  );
  if (!url) throw new UsageError('--publish needs a broker: --broker-url URL or PACT_BROKER_BASE_URL');
  if (!args['consumer-version'])
    throw new UsageError('--publish needs --consumer-version: the recorded pacts are published as that version');
  return {
    client: new BrokerClient({ url, ...(auth ? { auth } : {}) }),
    version: args['consumer-version'],
    ...(args.branch ? { branch: args.branch } : {}),
    ...(args.tag ? { tags: args.tag } : {}),
    ...(args['build-url'] ? { buildUrl: args['build-url'] } : {}),
  };
}

/** Publishes each consumer's recorded pact as `target.version` of that consumer; returns what to print. */
export async function publishRecorded(target: PublishTarget, pacts: PactDocument[]): Promise<string[]> {
  const lines: string[] = [];
  for (const pact of pacts) {
    if (pact.interactions.length === 0) continue;
    const { notices } = await publishContracts(target.client, {
      pacticipant: pact.consumer.name,
      version: target.version,
      ...(target.branch ? { branch: target.branch } : {}),
      ...(target.tags ? { tags: target.tags } : {}),
      ...(target.buildUrl ? { buildUrl: target.buildUrl } : {}),
      contracts: [{ content: pact as unknown as Record<string, unknown> }],
    });
    lines.push(`published ${pact.consumer.name} ${target.version} to the broker`);
    for (const notice of notices) lines.push(`  ${notice.type ?? 'info'}: ${notice.text}`);
  }
  return lines;
}
