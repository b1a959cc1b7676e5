import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { changeProviderState, DomainError, Store } from '@cutover/example-logistics-monolith/fixtures';
import type { Divergence } from './divergence.js';
import { parseDivergences } from './divergence.js';
import { ShipmentNotFound, TrackingViews } from './views.js';

export interface TrackingServiceOptions {
  port?: number;
  host?: string;
  /** The monolith's data file, read as the shared replica during the transition. */
  dataFile: string;
  /** Divergences to switch on (default: the `DIVERGENCE` environment variable; none = faithful). */
  divergence?: string | readonly Divergence[];
  /** Serve `POST /_pact/provider-states` (default true). */
  providerStates?: boolean;
  /** Signing key used by the "the user is logged in" provider state (default: `JWT_SECRET` or the monolith's dev key). */
  jwtSecret?: string;
  log?: (line: string) => void;
}

export interface RunningService {
  url: string;
  port: number;
  divergences: Divergence[];
  close(): Promise<void>;
}

const CACHE = 'public, max-age=30';

/** Same volatile timestamp shape as the monolith (microseconds, so two reads never agree). */
function generatedAt(): string {
  const micros = (process.hrtime.bigint() / 1000n) % 1000n;
  return `${new Date().toISOString().slice(0, -1)}${micros.toString().padStart(3, '0')}Z`;
}

/**
 * Starts the extracted tracking service: the `/api/tracking/**` routes of the monolith, read from
 * the monolith's data file.
 *
 * @example
 * const svc = await startTrackingService({ port: 0, dataFile: 'logistics.json', divergence: 'renamed-field' });
 * await svc.close();
 */
export async function startTrackingService(options: TrackingServiceOptions): Promise<RunningService> {
  const bugs =
    typeof options.divergence === 'string' || options.divergence === undefined
      ? parseDivergences(options.divergence ?? process.env.DIVERGENCE)
      : parseDivergences(options.divergence.join(','));
  const store = await Store.open(options.dataFile);
  const views = new TrackingViews(bugs);
  const jwtSecret = options.jwtSecret ?? process.env.JWT_SECRET ?? 'logistics-dev-secret-change-me';
  const log = options.log ?? ((line: string) => console.error(line));
  const serveStates = options.providerStates ?? true;

  const handle = async (req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const send = (status: number, body: unknown, extra: Record<string, string> = {}) => {
      const text = JSON.stringify(body);
      res.writeHead(status, {
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': Buffer.byteLength(text),
        'X-Request-Id': requestId,
        ...extra,
      });
      res.end(text);
    };
    const fail = (
      status: number,
      code: string,
      message: string,
      details?: Record<string, unknown>,
      extra?: Record<string, string>,
    ) =>
      send(
        status,
        {
          error: details && Object.keys(details).length > 0 ? { code, message, details } : { code, message },
          requestId,
        },
        extra,
      );

    // A malformed escape matches no route, as on the monolith.
    const decode = (segment: string) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return '\u0000';
      }
    };
    const parts = url.pathname.split('/').filter(Boolean).map(decode);
    try {
      if (url.pathname === '/health' && req.method === 'GET') {
        return send(200, { status: 'ok', service: 'tracking-service', divergences: [...bugs] });
      }
      if (url.pathname === '/_pact/provider-states' && serveStates) {
        if (req.method !== 'POST')
          return fail(405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${url.pathname}`, undefined, {
            Allow: 'POST',
          });
        return send(200, await changeProviderState(store, await readJson(req), { jwtSecret, now: () => new Date() }));
      }
      if (parts[0] === 'api' && parts[1] === 'tracking' && parts.length >= 3 && parts.length <= 4) {
        if (req.method !== 'GET')
          return fail(405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${url.pathname}`, undefined, {
            Allow: 'GET',
          });
        const id = parts[2]!;
        const db = await store.read();
        if (parts.length === 3) return send(200, views.tracking(db, id, generatedAt()), { 'Cache-Control': CACHE });
        if (parts[3] === 'eta') return send(200, views.etaView(db, id, generatedAt()), { 'Cache-Control': CACHE });
        if (parts[3] === 'events') {
          const raw = url.searchParams.get('limit');
          const limit = raw === null ? 50 : Number(raw);
          if (!Number.isInteger(limit) || limit < 1 || limit > 200) {
            return fail(422, 'VALIDATION_FAILED', `limit: must be an integer from 1 to 200, got "${raw}"`, {
              field: 'limit',
            });
          }
          return send(200, views.eventPage(db, id, limit), { 'Cache-Control': CACHE });
        }
      }
      return fail(404, 'ROUTE_NOT_FOUND', `no route for ${req.method} ${url.pathname}`);
    } catch (error) {
      if (error instanceof ShipmentNotFound)
        return fail(404, 'SHIPMENT_NOT_FOUND', error.message, { id: error.shipmentId });
      if (error instanceof DomainError) return fail(error.status, error.code, error.message, error.details);
      log(
        `tracking-service: error on ${req.method} ${url.pathname} [${requestId}]: ${(error as Error).stack ?? String(error)}`,
      );
      return fail(500, 'INTERNAL_ERROR', 'internal error');
    }
  };

  const server = createServer((req, res) => {
    const incoming = req.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && /^[\w-]{8,64}$/.test(incoming) ? incoming : randomUUID();
    void handle(req, res, requestId).catch(() => res.destroy());
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    divergences: [...bugs],
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  if (chunks.length === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (error) {
    throw new DomainError(400, 'MALFORMED_JSON', `request body is not valid JSON: ${(error as Error).message}`);
  }
}
