import { BrokerError, type BrokerClient } from './http.js';

/** What became of recording a decision in the broker. */
export type RecordOutcome =
  { recorded: true; url: string; location?: string } | { recorded: false; url: string; warning: string };

/**
 * Records a gate decision (`cutover.gate-decision/v1`) in the broker: `POST /cutover/decisions`.
 * Recording never fails the caller: a stock Pact Broker answers 404 (it keeps no decision history),
 * and that, like any other failure, comes back as a warning, never as success.
 *
 * @example
 * const outcome = await recordDecision(client, decision);
 * if (!outcome.recorded) console.warn(outcome.warning);
 */
export function recordDecision(client: BrokerClient, decision: unknown): Promise<RecordOutcome> {
  return recordOrWarn(
    client,
    'cutover/decisions',
    decision,
    'the decision was not recorded',
    "this broker does not implement cutover's decision history (a stock Pact Broker does not)",
  );
}

/**
 * POSTs a record of cutover's own to the broker without ever failing the caller: each failure is a
 * warning starting with `failed`; a broker without the route (404, 405) is told apart by `unsupported`.
 */
export async function recordOrWarn(
  client: BrokerClient,
  path: string,
  body: unknown,
  failed: string,
  unsupported: string,
): Promise<RecordOutcome> {
  const url = client.resolve(path);
  try {
    const { location } = await client.send('POST', url, body);
    return { recorded: true, url, ...(location ? { location } : {}) };
  } catch (error) {
    if (!(error instanceof BrokerError)) throw error;
    if (error.status === 404 || error.status === 405)
      return { recorded: false, url, warning: `${failed}: ${url} answered ${error.status}; ${unsupported}` };
    return { recorded: false, url, warning: `${failed}: ${error.message}` };
  }
}

export interface DecisionQuery {
  /** A policy route name. */
  route?: string;
  candidateVersion?: string;
}

/**
 * The decision history (`GET /cutover/decisions?route=…&candidateVersion=…`), newest first as the
 * broker orders it: the decisions as recorded, in `_embedded.decisions`.
 *
 * @example
 * const history = await listDecisions(client, { route: 'tracking', candidateVersion: '1.4.0' });
 */
export async function listDecisions(
  client: BrokerClient,
  query: DecisionQuery = {},
): Promise<Record<string, unknown>[]> {
  const params = new URLSearchParams();
  if (query.route !== undefined) params.set('route', query.route);
  if (query.candidateVersion !== undefined) params.set('candidateVersion', query.candidateVersion);
  const search = params.toString();
  const url = client.resolve(`cutover/decisions${search ? `?${search}` : ''}`);
  const { json } = await client.get(url);
  const decisions = (json as { _embedded?: { decisions?: unknown } } | undefined)?._embedded?.decisions;
  if (!Array.isArray(decisions) || decisions.some((d) => !d || typeof d !== 'object'))
    throw client.unexpected('GET', url, 'the answer has no _embedded.decisions list of objects');
  return decisions as Record<string, unknown>[];
}
