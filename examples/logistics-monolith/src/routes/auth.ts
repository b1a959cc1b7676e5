import { checkPassword, signToken, TOKEN_TTL_SECONDS } from '../auth.js';
import { DomainError, invalid } from '../domain/errors.js';
import type { User } from '../domain/model.js';
import type { Router } from '../http/kit.js';
import { sendJson } from '../http/kit.js';
import type { App } from './app.js';
import { requireUser } from './app.js';

export const userView = (u: User) => ({ id: u.id, email: u.email, name: u.name, role: u.role });

export function authRoutes(router: Router, app: App): void {
  router.on('POST', '/api/auth/login', async (ctx) => {
    const body = (await ctx.body()) as { email?: unknown; password?: unknown } | undefined;
    if (typeof body?.email !== 'string' || body.email === '') throw invalid('email', 'must be a non-empty string');
    if (typeof body.password !== 'string' || body.password === '')
      throw invalid('password', 'must be a non-empty string');
    const db = await app.store.read();
    const user = db.users.find((u) => u.email.toLowerCase() === (body.email as string).toLowerCase());
    // Same answer for an unknown email and a wrong password: no account enumeration.
    if (!user || !checkPassword(body.password, user.passwordHash)) {
      throw new DomainError(401, 'INVALID_CREDENTIALS', 'email or password is wrong');
    }
    const { token } = signToken(
      { sub: user.id, role: user.role, email: user.email },
      app.jwtSecret,
      app.now().getTime(),
    );
    sendJson(
      ctx,
      200,
      { accessToken: token, tokenType: 'Bearer', expiresIn: TOKEN_TTL_SECONDS, user: userView(user) },
      {
        'Cache-Control': 'no-store',
      },
    );
  });

  router.on('GET', '/api/auth/me', async (ctx) => {
    const claims = requireUser(app, ctx);
    const db = await app.store.read();
    const user = db.users.find((u) => u.id === claims.sub);
    if (!user) throw new DomainError(401, 'UNAUTHENTICATED', `user ${claims.sub} no longer exists`);
    sendJson(ctx, 200, userView(user));
  });
}
