import { recordOrWarn, type RecordOutcome } from './decisions.js';
import type { BrokerClient } from './http.js';

/**
 * Publishes shadow evidence (`cutover.shadow/v1`): `POST /cutover/shadow`. Like recording a
 * decision, it never fails the caller: a broker without shadow storage (a stock Pact Broker
 * answers 404) or any other failure comes back as a warning, never as success.
 *
 * @example
 * const outcome = await publishShadowRun(client, evidence);
 * if (!outcome.recorded) console.warn(outcome.warning);
 */
export function publishShadowRun(client: BrokerClient, evidence: unknown): Promise<RecordOutcome> {
  return recordOrWarn(
    client,
    'cutover/shadow',
    evidence,
    'the shadow evidence was not published',
    "this broker does not keep cutover's shadow evidence (a stock Pact Broker does not)",
  );
}

export interface ShadowRunQuery {
  provider?: string;
  candidateVersion?: string;
  /** How many runs, newest first; default 20. */
  limit?: number;
}

/**
 * Shadow runs, newest first (`GET /cutover/shadow?provider=…&candidateVersion=…`), as recorded,
 * unvalidated: readers validate each with core's `parseShadowEvidence`.
 *
 * @example
 * const [latest] = await listShadowRuns(client, { provider: 'logistics', candidateVersion: '1.4.0', limit: 1 });
 */
export async function listShadowRuns(client: BrokerClient, query: ShadowRunQuery = {}): Promise<unknown[]> {
  const params = new URLSearchParams();
  if (query.provider !== undefined) params.set('provider', query.provider);
  if (query.candidateVersion !== undefined) params.set('candidateVersion', query.candidateVersion);
  if (query.limit !== undefined) params.set('limit', String(query.limit));
  const search = params.toString();
  const url = client.resolve(`cutover/shadow${search ? `?${search}` : ''}`);
  const { json } = await client.get(url);
  const runs = (json as { _embedded?: { shadowRuns?: unknown } } | undefined)?._embedded?.shadowRuns;
  if (!Array.isArray(runs)) throw client.unexpected('GET', url, 'the answer has no _embedded.shadowRuns list');
  return runs;
}
