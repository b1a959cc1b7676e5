import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../server/context.js';
import { indexRoutes } from './index-resource.js';
import { pacticipantRoutes } from './pacticipants.js';

export function registerRoutes(app: FastifyInstance, ctx: RouteContext): void {
  indexRoutes(app, ctx);
  pacticipantRoutes(app, ctx);
}
