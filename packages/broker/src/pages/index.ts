import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../server/context.js';
import { assetRoutes } from './assets.js';
import { boardRoutes } from './board.js';
import { integrationRoutes } from './integrations.js';
import { pactPageRoutes } from './pact.js';
import { webhookPageRoutes } from './webhooks.js';

/** The pages people read, under /ui (the API keeps the Pact Broker's paths). */
export function pageRoutes(app: FastifyInstance, ctx: RouteContext): void {
  assetRoutes(app);
  integrationRoutes(app, ctx);
  boardRoutes(app, ctx);
  pactPageRoutes(app, ctx);
  webhookPageRoutes(app, ctx);
}
