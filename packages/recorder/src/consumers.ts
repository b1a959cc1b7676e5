import { ConfigError } from '@cutover/core';

/**
 * How a caller is told apart, tried in this order: the API key (a header whose value maps to a
 * consumer), a header naming the consumer, the User-Agent; callers nothing identifies go to
 * `defaultConsumer`. Header values come from the network: one that is not a plain name (letters,
 * digits, `.`, `_`, `-`, spaces, at most 64 characters) goes to the default consumer too, and so do
 * new names once `maxConsumers` are known, so traffic cannot create files at will.
 */
export interface ConsumerRule {
  /** A header whose value is the consumer's name, e.g. `x-client`. */
  header?: string;
  /** User-Agent patterns, first match wins: `{ pattern: '^TrackingApp/', consumer: 'mobile-app' }`. */
  userAgents?: readonly { pattern: string | RegExp; consumer: string }[];
  /** A header carrying an API key, and which consumer each key belongs to. */
  apiKeys?: { header: string; consumers: Readonly<Record<string, string>> };
  /** Where everyone else goes (default `unknown-consumer`). */
  defaultConsumer?: string;
  /** At most this many consumers named by the header (default 50). */
  maxConsumers?: number;
}

export const DEFAULT_CONSUMER = 'unknown-consumer';
const NAME = /^[A-Za-z0-9][\w .-]{0,63}$/;

/** Tells consumers apart by the rule; returns the consumer name for a request's (lower-case) headers. */
export function createConsumerResolver(rule: ConsumerRule = {}): (headers: Record<string, string[]>) => string {
  const fallback = rule.defaultConsumer ?? DEFAULT_CONSUMER;
  if (!NAME.test(fallback)) throw new ConfigError(`default consumer "${fallback}" is not a plain name`);
  const agents = (rule.userAgents ?? []).map(({ pattern, consumer }) => {
    let regex: RegExp;
    try {
      regex = typeof pattern === 'string' ? new RegExp(pattern) : pattern;
    } catch (cause) {
      throw new ConfigError(`User-Agent pattern "${String(pattern)}" for ${consumer} is not a regular expression`, {
        cause,
      });
    }
    return { regex, consumer };
  });
  const keyHeader = rule.apiKeys?.header.toLowerCase();
  const keys = new Map(Object.entries(rule.apiKeys?.consumers ?? {}));
  const header = rule.header?.toLowerCase();
  const named = new Set<string>();
  const max = rule.maxConsumers ?? 50;
  return (headers) => {
    const key = keyHeader === undefined ? undefined : headers[keyHeader]?.[0];
    if (key !== undefined && keys.has(key)) return keys.get(key)!;
    const name = header === undefined ? undefined : headers[header]?.[0]?.trim();
    if (name !== undefined && NAME.test(name) && (named.has(name) || named.size < max)) {
      named.add(name);
      return name;
    }
    const agent = headers['user-agent']?.[0];
    if (agent !== undefined) for (const { regex, consumer } of agents) if (regex.test(agent)) return consumer;
    return fallback;
  };
}
