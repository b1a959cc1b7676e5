/**
 * @cutover/broker-client — the one Pact Broker client: used by `cutover verify` (pacts for
 * verification, publishing results), `cutover gate` (evidence, decision recording) and the broker's
 * own tests (publishing contracts, can-i-deploy, deployments). It imports nothing from the server.
 *
 * @example
 * import { BrokerClient, pactsForVerification, fetchPact } from '@cutover/broker-client';
 * const client = new BrokerClient({ url: 'https://broker.example', auth: { token } });
 * for (const selected of await pactsForVerification(client, { provider: 'logistics' }))
 *   console.log(selected.url, (await fetchPact(client, selected.url)).consumer);
 */
export { BrokerClient, BrokerError, DEFAULT_BROKER_TIMEOUT_MS, redactUrl } from './http.js';
export type { BrokerAuth, BrokerClientOptions, BrokerResponse, HttpMethod } from './http.js';
export { brokerAuth, resolveBrokerConnection } from './connection.js';
export type { BrokerConnection, BrokerCredentials } from './connection.js';
export { brokerIndex, expandHref, halLink, halLinks, indexHref } from './hal.js';
export type { HalLink } from './hal.js';
export { CONSUMER_VERSION_SELECTOR_KEYS, validateConsumerVersionSelectors } from './selectors.js';
export type { ConsumerVersionSelector } from './selectors.js';
export {
  createBranchVersion,
  fetchPact,
  latestProviderPacts,
  pactsForVerification,
  publishVerificationResult,
  verificationResultsUrl,
} from './verification.js';
export type { BrokerNotice, PactForVerification, PactsForVerificationQuery } from './verification.js';
export { canIDeploy, matrix, matrixSearch } from './matrix.js';
export type { CanIDeployQuery, MatrixAnswer, MatrixQuery, MatrixRow, MatrixSelector } from './matrix.js';
export { createEnvironment, listEnvironments, publishContracts, recordDeployment, recordRelease } from './publisher.js';
export type { ContractToPublish, Environment, PublishContractsRequest, PublishContractsResult } from './publisher.js';
export { listDecisions, recordDecision } from './decisions.js';
export type { DecisionQuery, RecordOutcome } from './decisions.js';
export { listShadowRuns, publishShadowRun } from './shadow.js';
export type { ShadowRunQuery } from './shadow.js';
