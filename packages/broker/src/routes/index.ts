import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../server/context.js';
import { indexRoutes } from './index-resource.js';
import { pacticipantRoutes } from './pacticipants.js';
import { pactRoutes } from './pacts.js';
import { publishRoutes } from './publish.js';
import { verificationRoutes } from './verifications.js';
import { environmentRoutes } from './environments.js';
import { forVerificationRoutes } from './for-verification.js';
import { matrixRoutes } from './matrix.js';
import { webhookRoutes } from './webhooks.js';
import { decisionRoutes } from './decisions.js';
import { shadowRoutes } from './shadow.js';
import { deliveryRoutes } from '../webhooks/routes.js';
import { badgeRoutes } from '../badges/routes.js';
import { pageRoutes } from '../pages/index.js';

export function registerRoutes(app: FastifyInstance, ctx: RouteContext): void {
  indexRoutes(app, ctx);
  pacticipantRoutes(app, ctx);
  pactRoutes(app, ctx);
  publishRoutes(app, ctx);
  verificationRoutes(app, ctx);
  environmentRoutes(app, ctx);
  forVerificationRoutes(app, ctx);
  matrixRoutes(app, ctx);
  webhookRoutes(app, ctx);
  decisionRoutes(app, ctx);
  shadowRoutes(app, ctx);
  deliveryRoutes(app, ctx);
  badgeRoutes(app, ctx);
  pageRoutes(app, ctx);
}
