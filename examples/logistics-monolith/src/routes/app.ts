import type { AccessClaims } from '../auth.js';
import { verifyToken } from '../auth.js';
import { DomainError } from '../domain/errors.js';
import type { Role } from '../domain/model.js';
import type { RequestContext } from '../http/kit.js';
import type { Store } from '../store.js';

/** What route handlers share. */
export interface App {
  store: Store;
  jwtSecret: string;
  /** The clock for business timestamps (tests pin it). */
  now: () => Date;
  /** How long document generation takes before a document becomes ready. */
  documentDelayMs: number;
  /** Pending background work (document generation), cancelled on close. */
  timers: Set<NodeJS.Timeout>;
}

/** The caller's verified token claims; 401 without a valid bearer token, 403 with the wrong role. */
export function requireUser(app: App, ctx: RequestContext, roles?: readonly Role[]): AccessClaims {
  const header = ctx.req.headers.authorization;
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!match) throw new DomainError(401, 'UNAUTHENTICATED', 'missing bearer token in the Authorization header');
  const check = verifyToken(match[1]!, app.jwtSecret, app.now().getTime());
  if (!check.ok) throw new DomainError(401, 'UNAUTHENTICATED', `invalid bearer token: ${check.reason}`);
  if (roles && !roles.includes(check.claims.role)) {
    throw new DomainError(403, 'FORBIDDEN', `role ${check.claims.role} may not do this (needs ${roles.join(' or ')})`);
  }
  return check.claims;
}

/** Reads `?limit=`: a positive integer up to `max`, else 422 naming the parameter. */
export function limitParam(query: URLSearchParams, fallback: number, max: number): number {
  const raw = query.get('limit');
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new DomainError(422, 'VALIDATION_FAILED', `limit: must be an integer from 1 to ${max}, got "${raw}"`, {
      field: 'limit',
    });
  }
  return value;
}
