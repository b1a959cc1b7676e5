import { createHash } from 'node:crypto';
import { hashPassword, signToken } from '../auth.js';
import { DomainError, invalid } from '../domain/errors.js';
import type { Database, Role, ServiceLevel, ShipmentStatus } from '../domain/model.js';
import { isShipmentStatus } from '../domain/state-machine.js';
import { removeShipment, upsertShipment } from '../domain/shipments.js';
import type { Router } from '../http/kit.js';
import { sendJson } from '../http/kit.js';
import { seedDatabase } from '../seed.js';
import type { Store } from '../store.js';
import type { App } from './app.js';

type Params = Record<string, unknown>;
/** Seeds the data for one state; `'reset'` asks for the seed data. Needs only the signing key and clock. */
export type StateHandler = (
  db: Database,
  params: Params,
  app: Pick<App, 'jwtSecret' | 'now'>,
) => Record<string, unknown> | 'reset';

/** Every provider state the consumers' pacts may name, and the values each returns. */
export const PROVIDER_STATES: Record<string, StateHandler> = {
  'a shipment exists': (db, params) => shipmentState(db, params),
  'a shipment is in transit': (db, params) => shipmentState(db, { ...params, status: 'in_transit' }),
  'a shipment is out for delivery': (db, params) => shipmentState(db, { ...params, status: 'out_for_delivery' }),
  'a shipment has been delivered': (db, params) => shipmentState(db, { ...params, status: 'delivered' }),
  'no shipment exists': (db, params) => {
    const shipmentId = text(params, 'shipmentId');
    removeShipment(db, shipmentId);
    return { shipmentId };
  },
  'a user exists': (db, params) => ({ userId: userState(db, params).id }),
  'the user is logged in': (db, params, app) => {
    const user = userState(db, params);
    const { token } = signToken(
      { sub: user.id, role: user.role, email: user.email },
      app.jwtSecret,
      app.now().getTime(),
    );
    return { userId: user.id, accessToken: token, authorization: `Bearer ${token}` };
  },
  'the data is reset': () => 'reset',
};

function text(params: Params, name: string, fallback?: string): string {
  const value = params[name] ?? fallback;
  if (typeof value !== 'string' || value === '') throw invalid(`params.${name}`, 'must be a non-empty string');
  return value;
}

/** A stable id for a shipment the pact did not name, so both targets (sharing data) agree on it. */
function derivedShipmentId(params: Params): string {
  const digest = createHash('sha256').update(JSON.stringify(params)).digest();
  return `SHP-${5000 + (digest.readUInt16BE(0) % 4000)}`;
}

function shipmentState(db: Database, params: Params): Record<string, unknown> {
  const shipmentId = params.shipmentId === undefined ? derivedShipmentId(params) : text(params, 'shipmentId');
  const status = params.status ?? 'in_transit';
  if (!isShipmentStatus(status)) throw invalid('params.status', `unknown status ${JSON.stringify(status)}`);
  const service = params.service ?? 'standard';
  if (service !== 'standard' && service !== 'express')
    throw invalid('params.service', 'must be "standard" or "express"');
  let customerId: string | undefined;
  if (params.customerEmail !== undefined) {
    const email = text(params, 'customerEmail');
    customerId = db.users.find((u) => u.email === email)?.id;
    if (!customerId) throw invalid('params.customerEmail', `no user ${email}`);
  }
  const shipment = upsertShipment(db, {
    id: shipmentId,
    status: status as ShipmentStatus,
    service: service as ServiceLevel,
    ...(customerId ? { customerId } : {}),
  });
  return { shipmentId: shipment.id, reference: shipment.reference, status: shipment.status };
}

function userState(db: Database, params: Params) {
  const email = text(params, 'email');
  const existing = db.users.find((u) => u.email === email);
  const password = params.password;
  if (existing && password === undefined) return existing;
  const role = (params.role ?? existing?.role ?? 'customer') as Role;
  if (!['dispatcher', 'customer', 'driver'].includes(role))
    throw invalid('params.role', 'must be dispatcher, customer or driver');
  const id = existing?.id ?? `USR-${db.users.length + 1}`;
  const user = {
    id,
    email,
    name: typeof params.name === 'string' ? params.name : email.split('@')[0]!,
    role,
    passwordHash: hashPassword(text(params, 'password', 'password'), `state-${id}`),
  };
  db.users = [...db.users.filter((u) => u.id !== id), user];
  return user;
}

/**
 * Pact's provider-state change protocol: a `{state, params, action}` body; setup answers the values
 * the pact's provider-state generators may inject (e.g. `${shipmentId}`). Teardown is a no-op:
 * every setup writes the complete state it needs.
 */
export async function changeProviderState(
  store: Store,
  body: unknown,
  deps: Pick<App, 'jwtSecret' | 'now'>,
): Promise<Record<string, unknown>> {
  const b = body as { state?: unknown; params?: unknown; action?: unknown } | undefined;
  if (typeof b?.state !== 'string') throw invalid('state', 'must name a provider state');
  const action = b.action ?? 'setup';
  if (action !== 'setup' && action !== 'teardown') throw invalid('action', 'must be "setup" or "teardown"');
  const params = (b.params ?? {}) as Params;
  if (typeof params !== 'object' || params === null || Array.isArray(params))
    throw invalid('params', 'must be an object');
  const handler = PROVIDER_STATES[b.state];
  if (!handler) {
    throw new DomainError(400, 'UNKNOWN_PROVIDER_STATE', `unknown provider state "${b.state}"`, {
      known: Object.keys(PROVIDER_STATES),
    });
  }
  if (action === 'teardown') return {};
  const result = await store.update((db) => {
    const values = handler(db, params, deps);
    if (values === 'reset') Object.assign(db, seedDatabase());
    return values;
  });
  return result === 'reset' ? {} : result;
}

export function providerStateRoutes(router: Router, app: App): void {
  router.on('POST', '/_pact/provider-states', async (ctx) => {
    sendJson(ctx, 200, await changeProviderState(app.store, await ctx.body(), app));
  });
}
