import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Storage } from '../storage/database.js';
import type { Hal } from './hal.js';
import type { HostAllowList } from '../webhooks/hosts.js';

/** What every route module gets: the storage and how to build links. */
export interface RouteContext {
  storage: Storage;
  hal(request: FastifyRequest): Hal;
  /** The hosts webhooks may call (`--webhook-allow-host`). */
  webhookHosts: HostAllowList;
}

export const HAL_JSON = 'application/hal+json;charset=utf-8';

export function send(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.status(status).type(HAL_JSON).send(body);
}

/**
 * Text stored as it is: any character but NUL, which PostgreSQL cannot store in text (SQLite
 * would, so refusing it keeps both engines alike).
 */
export const NO_NUL = '^[^\\u0000]*$';
export const text = (maxLength: number) => ({ type: 'string', maxLength, pattern: NO_NUL }) as const;

/** Path parameters are names; a schema keeps them to sane lengths without restricting other characters. */
export const name = { type: 'string', minLength: 1, maxLength: 255, pattern: NO_NUL } as const;
export const params = (...keys: string[]) =>
  ({
    type: 'object',
    required: keys,
    properties: Object.fromEntries(keys.map((k) => [k, name])),
  }) as const;
