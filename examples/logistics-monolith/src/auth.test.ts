import { describe, expect, it } from 'vitest';
import { checkPassword, hashPassword, signToken, verifyToken } from './auth.js';

const secret = 'test-secret';
const claims = { sub: 'USR-1', role: 'dispatcher' as const, email: 'dana@logistics.example' };

describe('access tokens', () => {
  it('verifies a token it signed and returns its claims', () => {
    const { token } = signToken(claims, secret, Date.UTC(2026, 0, 1));
    const check = verifyToken(token, secret, Date.UTC(2026, 0, 1, 0, 30));
    expect(check).toMatchObject({ ok: true, claims: { sub: 'USR-1', role: 'dispatcher', iss: 'logistics-monolith' } });
  });

  it('rejects expired tokens, other keys, tampered claims and alg=none', () => {
    const now = Date.UTC(2026, 0, 1);
    const { token } = signToken(claims, secret, now);
    expect(verifyToken(token, secret, now + 2 * 3600_000)).toEqual({ ok: false, reason: 'token expired' });
    expect(verifyToken(token, 'other', now)).toEqual({ ok: false, reason: 'bad signature' });
    const [head, body, sig] = token.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(body!, 'base64url').toString()), role: 'driver' }),
    ).toString('base64url');
    expect(verifyToken(`${head}.${forged}.${sig}`, secret, now)).toEqual({ ok: false, reason: 'bad signature' });
    const none = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    expect(verifyToken(`${none}.${body}.`, secret, now)).toEqual({ ok: false, reason: 'unsupported algorithm' });
    expect(verifyToken('not-a-token', secret, now)).toEqual({ ok: false, reason: 'malformed token' });
  });

  it('checks passwords against scrypt hashes', () => {
    const stored = hashPassword('s3cret', 'salt-1');
    expect(stored).toBe(hashPassword('s3cret', 'salt-1'));
    expect(checkPassword('s3cret', stored)).toBe(true);
    expect(checkPassword('S3cret', stored)).toBe(false);
    expect(checkPassword('s3cret', 'plain')).toBe(false);
  });
});
