import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createListener, Router, sendJson } from './http/kit.js';
import type { App } from './routes/app.js';
import { authRoutes } from './routes/auth.js';
import { documentRoutes } from './routes/documents.js';
import { notificationRoutes } from './routes/notifications.js';
import { providerStateRoutes } from './routes/provider-states.js';
import { shipmentRoutes } from './routes/shipments.js';
import { trackingRoutes } from './routes/tracking.js';
import { Store } from './store.js';

export interface MonolithOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** The JSON "database"; created with the seed data when missing. */
  dataFile: string;
  /** HS256 signing key for access tokens (default: `JWT_SECRET` or a development key). */
  jwtSecret?: string;
  /** Serve Pact's provider-state endpoint (`POST /_pact/provider-states`). Default true. */
  providerStates?: boolean;
  now?: () => Date;
  documentDelayMs?: number;
  log?: (line: string) => void;
}

export interface RunningService {
  url: string;
  port: number;
  close(): Promise<void>;
}

export const DEV_JWT_SECRET = 'logistics-dev-secret-change-me';

/**
 * Starts the logistics monolith.
 *
 * @example
 * const monolith = await startMonolith({ port: 0, dataFile: '/tmp/logistics.json' });
 * await fetch(`${monolith.url}/api/tracking/SHP-1001`);
 * await monolith.close();
 */
export async function startMonolith(options: MonolithOptions): Promise<RunningService> {
  const app: App = {
    store: await Store.open(options.dataFile),
    jwtSecret: options.jwtSecret ?? process.env.JWT_SECRET ?? DEV_JWT_SECRET,
    now: options.now ?? (() => new Date()),
    documentDelayMs: options.documentDelayMs ?? 200,
    timers: new Set(),
  };
  const router = new Router();
  router.on('GET', '/health', (ctx) => sendJson(ctx, 200, { status: 'ok', service: 'logistics-monolith' }));
  authRoutes(router, app);
  trackingRoutes(router, app);
  shipmentRoutes(router, app);
  notificationRoutes(router, app);
  documentRoutes(router, app);
  if (options.providerStates ?? true) providerStateRoutes(router, app);

  const server = createServer(createListener({ router, log: options.log ?? ((line) => console.error(line)) }));
  server.keepAliveTimeout = 1_000;
  return listen(server, options.port ?? 0, options.host ?? '127.0.0.1', () => {
    for (const timer of app.timers) clearTimeout(timer);
    app.timers.clear();
  });
}

/** Listens and returns the URL plus a close() that also ends idle keep-alive connections. */
export function listen(
  server: ReturnType<typeof createServer>,
  port: number,
  host: string,
  onClose: () => void = () => undefined,
): Promise<RunningService> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      resolve({
        url: `http://${host}:${address.port}`,
        port: address.port,
        close: () =>
          new Promise<void>((done, fail) => {
            onClose();
            server.close((error) => (error ? fail(error) : done()));
            server.closeIdleConnections();
          }),
      });
    });
  });
}
