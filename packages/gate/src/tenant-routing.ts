import { ConfigError } from '@cutover/core';
import type { GateDecision, RouteDecision } from './decide.js';
import { checkSplit, describeTenantKey, type TenantKey, type TrafficSplit } from './tenant.js';

/**
 * Refuses a split the gateway's artifact cannot express, before anything is decided or written:
 * a tenant split in Envoy's RouteConfiguration (its weighted clusters choose per request; a route's
 * `hash_policy` only picks a host inside one cluster, so neither keeps a tenant on one side), or a
 * JWT claim in nginx (nginx cannot read a JWT payload without njs or NGINX Plus).
 */
export function checkGatewaySupport(split: TrafficSplit, gateway: string, source: string): void {
  checkSplit(split, source);
  if (split.by !== 'tenant') return;
  const refuse = (jsonPath: string, message: string): never => {
    throw new ConfigError(`${source}: ${jsonPath}: ${message}`, { details: { file: source, jsonPath, gateway } });
  };
  if (gateway === 'envoy')
    refuse(
      '$.split.by',
      'the Envoy artifact cannot split by tenant: weighted_clusters choose a cluster per request and a hash_policy only picks a host within one cluster, so nothing in a RouteConfiguration keeps a tenant on one side across steps; use --gateway nginx or flagd (or json), or split: { by: request }',
    );
  if (gateway === 'nginx' && 'jwtClaim' in split.tenantKey)
    refuse(
      '$.split.tenantKey.jwtClaim',
      'the nginx artifact cannot read a JWT claim: open-source nginx does not decode JWTs (that needs njs or NGINX Plus auth_jwt); use a header the authenticating proxy sets, or --gateway flagd/json with the claim read by the verified application',
    );
}

/** The nginx variable holding the tenant key: `$http_x_tenant_id`, `$arg_tenant`, `$cookie_tenant`. */
function nginxKeyVariable(key: TenantKey): string {
  if ('header' in key) return `$http_${key.header.toLowerCase().replace(/-/g, '_')}`;
  if ('query' in key) return `$arg_${key.query}`;
  if ('cookie' in key) return `$cookie_${key.cookie}`;
  throw new ConfigError('nginx cannot read a JWT claim', { details: { jsonPath: '$.split.tenantKey.jwtClaim' } });
}

/** A pilot tenant as a case-sensitive, anchored nginx map regex (the grammar leaves `.` as the only operator). */
function pilotRegex(tenant: string): string {
  return `~^${tenant.replace(/\./g, '\\.')}$`;
}

/**
 * The http-context lines that choose a route's bucket (`candidate` / `monolith`) per tenant, and
 * the expression naming it. The split uses nginx's own `split_clients` (MurmurHash2 of the key) with
 * the candidate first, so its share is the hash range [0, weight): growing the weight only widens
 * it, and a tenant on the candidate at 1% is on it at 10%. Requests without a key stay on the monolith.
 */
export function nginxTenantBucket(
  variable: string,
  weight: number,
  split: Extract<TrafficSplit, { by: 'tenant' }>,
  quote: (value: string, what: string) => string,
): { lines: string[]; bucket: string } {
  if (weight === 0) return { lines: [], bucket: 'monolith' };
  if (weight === 100) return { lines: [], bucket: 'candidate' };
  const key = nginxKeyVariable(split.tenantKey);
  return {
    lines: [
      `split_clients ${quote(key, 'the tenant key')} $${variable}_hashed {`,
      `    ${weight}% candidate;`,
      `    * monolith;`,
      '}',
      `map ${quote(key, 'the tenant key')} $${variable}_bucket {`,
      `    default $${variable}_hashed;`,
      '    "" monolith;',
      ...split.pilotTenants.map((tenant) => `    ${quote(pilotRegex(tenant), 'a pilot tenant')} candidate;`),
      '}',
    ],
    bucket: `$${variable}_bucket`,
  };
}

/** The flag key of a route in the flagd file. */
export function flagKey(route: Pick<RouteDecision, 'name'>): string {
  return `cutover.route.${route.name}`;
}

function targeting(weight: number, split: TrafficSplit): Record<string, unknown> | undefined {
  if (weight === 0 || weight === 100) return undefined;
  const key = { var: 'targetingKey' };
  const fractional = { fractional: [key, ['candidate', weight], ['monolith', 100 - weight]] };
  const pilots = split.by === 'tenant' && split.pilotTenants.length > 0 ? split.pilotTenants : undefined;
  // Without a key there is nothing to hash: the monolith, as in nginx.
  return {
    if: [{ '!': key }, 'monolith', ...(pilots ? [{ in: [key, pilots] }, 'candidate'] : []), fractional],
  };
}

/**
 * The decision as an OpenFeature flagd flag definition: one string flag per route (`candidate` or
 * `monolith`), evaluated on the context's `targetingKey` (the tenant key; a request id for a
 * per-request split). `fractional` buckets the key with MurmurHash3 into cumulative ranges with the
 * candidate first, so a tenant only moves forward across steps; pilot tenants come first.
 */
export function flagdDocument(decision: GateDecision): Record<string, unknown> {
  const split = decision.policy.split;
  const flags: Record<string, unknown> = {};
  for (const route of decision.routes) {
    const weight = route.nextWeight;
    const rules = targeting(weight, split);
    flags[flagKey(route)] = {
      state: 'ENABLED',
      variants: { candidate: 'candidate', monolith: 'monolith' },
      defaultVariant: weight === 100 ? 'candidate' : 'monolith',
      ...(rules ? { targeting: rules } : {}),
      metadata: {
        route: route.name,
        methods: route.methods.join(','),
        path: route.path,
        weight,
        previousWeight: route.currentWeight,
        decision: route.rollback ? 'rollback' : route.outcome,
        split: split.by === 'tenant' ? `tenant: ${describeTenantKey(split.tenantKey)}` : 'request',
      },
    };
  }
  return { $schema: 'https://flagd.dev/schema/v0/flags.json', flags };
}
