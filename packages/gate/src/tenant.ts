import { ConfigError } from '@cutover/core';
import { TENANT_HEADER, TENANT_NAME, TENANT_PARAMETER } from './values.js';

/** Where the gateway reads a request's tenant key. */
export type TenantKey =
  { header: string } | { query: string } | { cookie: string } | { jwtClaim: { claim: string; header: string } };

/**
 * How a route's traffic is split. `request`: every request on its own (a share of requests).
 * `tenant`: a tenant is on the candidate when its key hashes below the weight, so the tenants on
 * the candidate at 1% are still on it at 10%; pilot tenants are on it at every weight above 0.
 */
export type TrafficSplit = { by: 'request' } | { by: 'tenant'; tenantKey: TenantKey; pilotTenants: string[] };

export interface RawSplit {
  by: 'request' | 'tenant';
  tenantKey?: { header?: string; query?: string; cookie?: string; jwtClaim?: { claim: string; header?: string } };
  pilotTenants?: string[];
}

/** What the schema cannot say about a `split`: a tenant split names its key; a per-request one has none. */
export function splitProblems(raw: RawSplit | undefined): { segments: (string | number)[]; message: string }[] {
  if (!raw) return [];
  if (raw.by === 'tenant' && !raw.tenantKey)
    return [
      {
        segments: ['split'],
        message:
          'a tenant split needs tenantKey: { header | query | cookie | jwtClaim } naming where the tenant is read',
      },
    ];
  if (raw.by === 'request' && (raw.tenantKey || raw.pilotTenants))
    return [
      {
        segments: ['split', raw.tenantKey ? 'tenantKey' : 'pilotTenants'],
        message: 'tenantKey and pilotTenants only apply to split: { by: tenant }',
      },
    ];
  return [];
}

/** The policy's `split` with its defaults; the schema has checked the shape. */
export function normalizeSplit(raw: RawSplit | undefined): TrafficSplit {
  if (!raw || raw.by === 'request' || !raw.tenantKey) return { by: 'request' };
  const key = raw.tenantKey;
  const tenantKey: TenantKey =
    key.header !== undefined
      ? { header: key.header }
      : key.query !== undefined
        ? { query: key.query }
        : key.cookie !== undefined
          ? { cookie: key.cookie }
          : { jwtClaim: { claim: key.jwtClaim!.claim, header: key.jwtClaim!.header ?? 'Authorization' } };
  return { by: 'tenant', tenantKey, pilotTenants: [...(raw.pilotTenants ?? [])] };
}

/** `header X-Tenant-Id`, `query parameter tenant`, `JWT claim tid (Authorization header)`. */
export function describeTenantKey(key: TenantKey): string {
  if ('header' in key) return `header ${key.header}`;
  if ('query' in key) return `query parameter ${key.query}`;
  if ('cookie' in key) return `cookie ${key.cookie}`;
  return `JWT claim ${key.jwtClaim.claim} (${key.jwtClaim.header} header)`;
}

/**
 * Checks a split handed in by code (the policy schema checks a loaded one) before any of it is
 * written into gateway config: names outside the grammar could end an nginx string or a map entry.
 */
export function checkSplit(split: TrafficSplit, source: string): void {
  if (split.by !== 'tenant') return;
  const fail = (jsonPath: string, message: string): never => {
    throw new ConfigError(`${source}: ${jsonPath}: ${message}`, { details: { file: source, jsonPath } });
  };
  const key = split.tenantKey as Record<string, unknown>;
  const sources = Object.keys(key);
  if (sources.length !== 1 || !['header', 'query', 'cookie', 'jwtClaim'].includes(sources[0]!))
    fail('$.split.tenantKey', `must name exactly one of header, query, cookie, jwtClaim (got ${JSON.stringify(key)})`);
  const name = (value: unknown, grammar: RegExp, jsonPath: string): void => {
    if (typeof value !== 'string' || !grammar.test(value))
      fail(jsonPath, `${JSON.stringify(value)} is not a safe name (${grammar.source})`);
  };
  if ('header' in split.tenantKey) name(split.tenantKey.header, TENANT_HEADER, '$.split.tenantKey.header');
  if ('query' in split.tenantKey) name(split.tenantKey.query, TENANT_PARAMETER, '$.split.tenantKey.query');
  if ('cookie' in split.tenantKey) name(split.tenantKey.cookie, TENANT_PARAMETER, '$.split.tenantKey.cookie');
  if ('jwtClaim' in split.tenantKey) {
    name(split.tenantKey.jwtClaim.claim, TENANT_PARAMETER, '$.split.tenantKey.jwtClaim.claim');
    name(split.tenantKey.jwtClaim.header, TENANT_HEADER, '$.split.tenantKey.jwtClaim.header');
  }
  split.pilotTenants.forEach((tenant, i) => name(tenant, TENANT_NAME, `$.split.pilotTenants[${i}]`));
}
