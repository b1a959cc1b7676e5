import { UsageError } from '@cutover/core';
import type { BrokerClient } from './http.js';

/** One pacticipant (version) in a matrix query: an exact version, its latest, or the latest on a branch or tag. */
export interface MatrixSelector {
  pacticipant: string;
  version?: string;
  latest?: boolean;
  branch?: string;
  tag?: string;
  mainBranch?: boolean;
}

export interface MatrixQuery {
  selectors: MatrixSelector[];
  /** `cvp`: the latest verification per consumer version and provider; `cvpv`: per provider version too. */
  latestby?: 'cvp' | 'cvpv';
  /** Versions of the other pacticipants deployed to (or released in) this environment. */
  environment?: string;
  /** With `latest`: the other pacticipants' latest versions with this tag. */
  tag?: string;
  latest?: boolean;
  /** Pacticipants (or versions) whose results do not count. */
  ignore?: { pacticipant: string; version?: string }[];
}

/** One row of the matrix: a consumer version, a provider version, and the verification tying them. */
export interface MatrixRow {
  consumer: { name: string; version?: { number?: string } | null };
  provider: { name: string; version?: { number?: string } | null };
  pact?: Record<string, unknown> | null;
  verificationResult?: (Record<string, unknown> & { success?: boolean; _links?: unknown }) | null;
  [key: string]: unknown;
}

export interface MatrixAnswer {
  summary: { deployable: boolean | null; reason?: string; success?: number; failed?: number; unknown?: number };
  matrix: MatrixRow[];
  notices: { type?: string; text: string }[];
}

/** The matrix query string, in the Pact Broker's `q[][pacticipant]=…` form. */
export function matrixSearch(query: MatrixQuery): string {
  const params = new URLSearchParams();
  for (const s of query.selectors) {
    params.append('q[][pacticipant]', s.pacticipant);
    if (s.version !== undefined) params.append('q[][version]', s.version);
    if (s.latest) params.append('q[][latest]', 'true');
    if (s.branch !== undefined) params.append('q[][branch]', s.branch);
    if (s.tag !== undefined) params.append('q[][tag]', s.tag);
    if (s.mainBranch) params.append('q[][mainBranch]', 'true');
  }
  for (const i of query.ignore ?? []) {
    params.append('ignore[][pacticipant]', i.pacticipant);
    if (i.version !== undefined) params.append('ignore[][version]', i.version);
  }
  if (query.latestby) params.append('latestby', query.latestby);
  if (query.latest) params.append('latest', 'true');
  if (query.tag !== undefined) params.append('tag', query.tag);
  if (query.environment !== undefined) params.append('environment', query.environment);
  return params.toString();
}

/**
 * Queries the matrix (`GET /matrix?…`): which versions were verified with which, and whether the
 * selected versions can be deployed together.
 *
 * @example
 * const answer = await matrix(client, { selectors: [{ pacticipant: 'web-app', version: '7' },
 *   { pacticipant: 'logistics', version: '1.4.0' }], latestby: 'cvpv' });
 */
export async function matrix(client: BrokerClient, query: MatrixQuery): Promise<MatrixAnswer> {
  if (query.selectors.length === 0) throw new UsageError('A matrix query needs at least one pacticipant');
  const url = client.resolve(`matrix?${matrixSearch(query)}`);
  const { json } = await client.get(url);
  const answer = json as Partial<MatrixAnswer> | undefined;
  if (!answer || typeof answer !== 'object' || !Array.isArray(answer.matrix) || typeof answer.summary !== 'object')
    throw client.unexpected('GET', url, 'the answer has no "matrix" list and "summary"; is this a Pact Broker?');
  const deployable = answer.summary?.deployable;
  return {
    summary: { ...answer.summary, deployable: typeof deployable === 'boolean' ? deployable : null },
    matrix: answer.matrix,
    notices: Array.isArray(answer.notices) ? answer.notices.filter((n) => typeof n?.text === 'string') : [],
  };
}

export interface CanIDeployQuery {
  pacticipant: string;
  /** The version to deploy; or `latest` (optionally on `branch`). */
  version?: string;
  latest?: boolean;
  branch?: string;
  /** Where it is going: an environment, or (legacy) the latest versions with a tag. */
  toEnvironment?: string;
  to?: string;
  ignore?: { pacticipant: string; version?: string }[];
}

/**
 * Can this version be deployed? The matrix for one pacticipant version against its integrations,
 * as `pact broker can-i-deploy` asks it (`latestby=cvp`). `deployable` is `null` when the broker
 * cannot tell (a missing verification); the answer's `reason` says why.
 *
 * @example
 * const { summary } = await canIDeploy(client, { pacticipant: 'logistics', version: '1.4.0', toEnvironment: 'production' });
 * if (summary.deployable !== true) throw new Error(summary.reason);
 */
export async function canIDeploy(client: BrokerClient, query: CanIDeployQuery): Promise<MatrixAnswer> {
  if (query.version === undefined && !query.latest)
    throw new UsageError(`can-i-deploy ${query.pacticipant}: give a version, or latest (optionally with a branch)`);
  const selector: MatrixSelector = { pacticipant: query.pacticipant };
  if (query.version !== undefined) selector.version = query.version;
  if (query.latest) selector.latest = true;
  if (query.branch !== undefined) selector.branch = query.branch;
  const matrixQuery: MatrixQuery = { selectors: [selector], latestby: 'cvp' };
  if (query.toEnvironment !== undefined) matrixQuery.environment = query.toEnvironment;
  else if (query.to !== undefined) Object.assign(matrixQuery, { latest: true, tag: query.to });
  else matrixQuery.latest = true;
  if (query.ignore) matrixQuery.ignore = query.ignore;
  return matrix(client, matrixQuery);
}
