import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { HttpError } from './http-error.js';

/** One credential: a bearer token, or a user name and password for basic auth. */
export type Credential = { token: string } | { username: string; password: string };

/**
 * Who may read and who may write. Without `write` (and `read`) the broker is open, as for a local
 * run. With credentials, writes need a write credential (401 without one, 403 with a read-only
 * one); reads need a read or write credential unless `publicRead` is set.
 */
export interface AuthConfig {
  read?: Credential[];
  write?: Credential[];
  publicRead?: boolean;
}

// Hashing both sides first gives equal-length inputs, so the comparison time says nothing about the secret.
const digest = (value: string) => createHash('sha256').update(value).digest();
const same = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));

function presented(request: FastifyRequest): Credential | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const [scheme, value = ''] = header.split(/\s+/, 2);
  if (scheme?.toLowerCase() === 'bearer') return { token: value };
  if (scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon >= 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  return undefined;
}

function matches(given: Credential, list: Credential[] | undefined): boolean {
  let found = false;
  // Every entry is compared (no early exit), so timing does not reveal which one matched.
  for (const c of list ?? []) {
    if ('token' in c && 'token' in given) found = same(c.token, given.token) || found;
    if ('username' in c && 'username' in given)
      found = (same(c.username, given.username) && same(c.password, given.password)) || found;
  }
  return found;
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function authEnabled(auth: AuthConfig | undefined): boolean {
  return Boolean(auth && ((auth.write?.length ?? 0) > 0 || (auth.read?.length ?? 0) > 0));
}

/** Throws the 401/403 the request deserves, or returns when it may proceed. Never echoes the credential. */
export function authorize(auth: AuthConfig | undefined, request: FastifyRequest): void {
  if (!auth || !authEnabled(auth)) return;
  const isRead = READ_METHODS.has(request.method);
  if (isRead && auth.publicRead) return;
  const given = presented(request);
  if (!given) throw new HttpError(401, ['authentication required: send a bearer token or basic credentials']);
  if (matches(given, auth.write)) return;
  if (matches(given, auth.read)) {
    if (isRead) return;
    throw new HttpError(403, ['these credentials may only read; writing needs a write credential']);
  }
  throw new HttpError(401, ['the credentials are not valid for this broker']);
}
