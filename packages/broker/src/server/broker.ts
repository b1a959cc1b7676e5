import { ConfigError } from '@cutover/core';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { openStorage, type DatabaseConfig, type Storage } from '../storage/database.js';
import { authorize, type AuthConfig } from './auth.js';
import { HAL_JSON, type RouteContext } from './context.js';
import { Hal } from './hal.js';
import { installErrorHandler } from './http-error.js';
import { registerRoutes } from '../routes/index.js';
import { HostAllowList } from '../webhooks/hosts.js';
import { WebhookDispatcher, type DeliveryOptions } from '../webhooks/dispatcher.js';
import { checkRetentionRules } from '../storage/retention.js';
import { RetentionScheduler, type RetentionSchedule } from './retention-schedule.js';

export interface BrokerOptions {
  /** `{ file }` for an embedded SQLite file (`:memory:` for a throwaway one), `{ url }` for PostgreSQL. */
  database: DatabaseConfig;
  /** Credentials; omit for an open broker (a local run). */
  auth?: AuthConfig;
  /** The public URL for HAL links behind a proxy; without it links follow the request (X-Forwarded-Proto/Host honoured). */
  baseUrl?: string;
  /** Largest request body accepted, in bytes (default 10 MiB); larger ones get 413. */
  bodyLimit?: number;
  /** Fastify logger switch (default off). Credentials are never logged: the Authorization header is redacted. */
  logger?: boolean;
  /** Webhook delivery: the hosts webhooks may call (none by default), timeouts and retries. */
  webhooks?: WebhookOptions;
  /** Opt-in retention: `cutover broker clean` on a timer (first at start, then every `everyMs`). */
  retention?: RetentionSchedule;
}

export interface WebhookOptions extends DeliveryOptions {
  /** Hosts webhooks may call: `ci.example.com`, `ci.example.com:8443`, `*.example.com`. A webhook to any other host is refused when created. */
  allowHosts?: string[];
  /** Whether this broker sends queued deliveries (default true); brokers sharing a database may leave it to one. */
  deliver?: boolean;
}

export interface Broker {
  readonly app: FastifyInstance;
  readonly storage: Storage;
  /** Starts listening (port 0 picks a free one) and resolves to the URL. */
  listen(options?: { port?: number; host?: string }): Promise<string>;
  /** Stops accepting connections, lets in-flight requests finish, then closes the database. */
  close(): Promise<void>;
}

/**
 * Creates a Pact-Broker-compatible broker: opens the database and migrates it, then builds the
 * HTTP application. Call `listen()` to serve it.
 *
 * @example
 * const broker = await createBroker({ database: { file: '.cutover/broker.db' } });
 * const url = await broker.listen({ port: 9292 });
 */
export async function createBroker(options: BrokerOptions): Promise<Broker> {
  let webhookHosts: HostAllowList;
  try {
    webhookHosts = new HostAllowList(options.webhooks?.allowHosts);
  } catch (error) {
    throw new ConfigError(`webhook allow-host: ${(error as Error).message}`, { cause: error });
  }
  if (options.retention) {
    checkRetentionRules(options.retention);
    if (!Number.isFinite(options.retention.everyMs) || options.retention.everyMs < 1000)
      throw new ConfigError(`retention: everyMs must be at least 1000, not ${String(options.retention.everyMs)}`);
  }
  const storage = await openStorage(options.database);
  const app = Fastify({
    bodyLimit: options.bodyLimit ?? 10 * 1024 * 1024,
    trustProxy: options.baseUrl === undefined,
    logger: options.logger ? { redact: ['req.headers.authorization'] } : false,
    // Names may contain encoded slashes; the router decodes each parameter on its own.
    routerOptions: { maxParamLength: 1024, ignoreTrailingSlash: true },
    forceCloseConnections: 'idle',
    // Errors the router raises before any route (a path parameter over the length limit, a bad
    // URL) get the same { errors } body as everything else.
    frameworkErrors: (error, _request, reply) => {
      const status =
        typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500
          ? error.statusCode
          : 400;
      void (reply as FastifyReply)
        .status(status)
        .type(HAL_JSON)
        .send({ errors: [error.message] });
    },
    // A number where a name belongs is a client's mistake to report, not to paper over.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
  });
  installErrorHandler(app);
  const jsonParser = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  // An empty body with a JSON content type is an empty document (some clients send one with PUT).
  app.addContentTypeParser(
    ['application/json', 'application/hal+json', 'application/merge-patch+json'],
    { parseAs: 'string' },
    (request, body, done) =>
      String(body).trim() === '' ? done(null, undefined) : jsonParser(request, body as string, done),
  );
  app.addHook('onRequest', async (request, reply) => {
    reply.type(HAL_JSON);
    authorize(options.auth, request);
  });
  const ctx: RouteContext = { storage, hal: (request) => new Hal(request, options.baseUrl), webhookHosts };
  registerRoutes(app, ctx);
  const dispatcher =
    options.webhooks?.deliver === false ? undefined : new WebhookDispatcher(storage, webhookHosts, options.webhooks);
  // A write may have queued deliveries: send them now rather than at the next poll.
  if (dispatcher)
    app.addHook('onResponse', async (request, reply) => {
      if (request.method !== 'GET' && request.method !== 'HEAD' && reply.statusCode < 400) dispatcher.kick();
    });
  dispatcher?.start();
  const retention = options.retention ? new RetentionScheduler(storage, options.retention) : undefined;
  retention?.start();

  let closed = false;
  return {
    app,
    storage,
    async listen({ port = 0, host = '127.0.0.1' } = {}) {
      await app.listen({ port, host });
      const address = app.server.address();
      const actualPort = typeof address === 'object' && address ? address.port : port;
      return `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`;
    },
    async close() {
      if (closed) return;
      closed = true;
      await dispatcher?.stop();
      await retention?.stop();
      await app.close();
      await storage.close();
    },
  };
}
