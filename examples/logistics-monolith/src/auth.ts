import { createHmac, scryptSync, timingSafeEqual } from 'node:crypto';
import type { Role } from './domain/model.js';

/** Claims of the monolith's access tokens. */
export interface AccessClaims {
  sub: string;
  role: Role;
  email: string;
  iss: string;
  iat: number;
  exp: number;
}

export const TOKEN_ISSUER = 'logistics-monolith';
export const TOKEN_TTL_SECONDS = 3600;

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

/** Signs an HS256 JWT. */
export function signToken(
  claims: Omit<AccessClaims, 'iss' | 'iat' | 'exp'>,
  secret: string,
  now = Date.now(),
): { token: string; claims: AccessClaims } {
  const iat = Math.floor(now / 1000);
  const full: AccessClaims = { ...claims, iss: TOKEN_ISSUER, iat, exp: iat + TOKEN_TTL_SECONDS };
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify(full));
  const sig = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  return { token: `${head}.${body}.${sig}`, claims: full };
}

export type TokenCheck = { ok: true; claims: AccessClaims } | { ok: false; reason: string };

/** Verifies signature, algorithm, issuer and expiry of an HS256 JWT. */
export function verifyToken(token: string, secret: string, now = Date.now()): TokenCheck {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'malformed token' };
  const [head, body, sig] = parts as [string, string, string];
  let header: { alg?: unknown };
  let claims: Partial<AccessClaims>;
  try {
    header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8')) as { alg?: unknown };
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Partial<AccessClaims>;
  } catch {
    return { ok: false, reason: 'malformed token' };
  }
  // Never let the token choose its algorithm ("alg": "none" attacks).
  if (header.alg !== 'HS256') return { ok: false, reason: 'unsupported algorithm' };
  const expected = createHmac('sha256', secret).update(`${head}.${body}`).digest();
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'bad signature' };
  }
  if (claims.iss !== TOKEN_ISSUER) return { ok: false, reason: 'wrong issuer' };
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now) return { ok: false, reason: 'token expired' };
  if (typeof claims.sub !== 'string' || typeof claims.role !== 'string') return { ok: false, reason: 'missing claims' };
  return { ok: true, claims: claims as AccessClaims };
}

// A low scrypt cost keeps seeding and tests fast; it is an example system, not a vault.
const SCRYPT = { N: 1024, r: 8, p: 1 } as const;

/** `scrypt$salt$hash`; the salt is given so seed data stays byte-for-byte deterministic. */
export function hashPassword(password: string, salt: string): string {
  const hash = scryptSync(password, salt, 32, SCRYPT).toString('hex');
  return `scrypt$${salt}$${hash}`;
}

export function checkPassword(password: string, stored: string): boolean {
  const [scheme, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'hex');
  const actual = scryptSync(password, salt, expected.length, SCRYPT);
  return timingSafeEqual(actual, expected);
}
