import type { Generated } from 'kysely';

// One schema for both engines: timestamps are ISO-8601 text (sortable, identical in SQLite and
// PostgreSQL), booleans are 0/1 integers, JSON documents are text.

export interface PacticipantTable {
  id: Generated<number>;
  name: string;
  display_name: string | null;
  repository_url: string | null;
  repository_name: string | null;
  repository_namespace: string | null;
  main_branch: string | null;
  created_at: string;
  updated_at: string;
}

export interface VersionTable {
  id: Generated<number>;
  pacticipant_id: number;
  number: string;
  build_url: string | null;
  created_at: string;
}

export interface BranchTable {
  id: Generated<number>;
  pacticipant_id: number;
  name: string;
  created_at: string;
}

export interface BranchVersionTable {
  branch_id: number;
  version_id: number;
  created_at: string;
}

export interface TagTable {
  version_id: number;
  name: string;
  created_at: string;
}

/** Pact content, stored once per consumer/provider pair and content hash. */
export interface PactVersionTable {
  id: Generated<number>;
  consumer_id: number;
  provider_id: number;
  sha: string;
  content: string;
  created_at: string;
}

/** One row per consumer/provider pair that has a pact, so integrations are found without scanning versions. */
export interface IntegrationTable {
  consumer_id: number;
  provider_id: number;
  created_at: string;
}

/** A consumer version's pact with one provider. */
export interface PactPublicationTable {
  id: Generated<number>;
  consumer_id: number;
  provider_id: number;
  consumer_version_id: number;
  pact_version_id: number;
  created_at: string;
}

export interface VerificationTable {
  id: Generated<number>;
  pact_version_id: number;
  provider_id: number;
  consumer_id: number;
  provider_version_id: number;
  success: number;
  build_url: string | null;
  /** The whole published result (testResults with their `cutover` entries included). */
  content: string;
  verified_at: string;
}

export interface EnvironmentTable {
  uuid: string;
  name: string;
  display_name: string | null;
  production: number;
  contacts: string | null;
  created_at: string;
  updated_at: string;
}

export interface DeployedVersionTable {
  uuid: string;
  version_id: number;
  pacticipant_id: number;
  environment_uuid: string;
  application_instance: string | null;
  created_at: string;
  undeployed_at: string | null;
}

export interface ReleasedVersionTable {
  uuid: string;
  version_id: number;
  pacticipant_id: number;
  environment_uuid: string;
  created_at: string;
  support_ended_at: string | null;
}

export interface WebhookTable {
  uuid: string;
  consumer_id: number | null;
  provider_id: number | null;
  /** The webhook document as given (consumer/provider selectors, events, request). */
  content: string;
  created_at: string;
  updated_at: string;
}

export interface DecisionTable {
  id: Generated<number>;
  candidate_version: string | null;
  outcome: string;
  decided_at: string;
  content: string;
  created_at: string;
}

export interface DecisionRouteTable {
  decision_id: number;
  route: string;
  outcome: string;
  /** The route's candidate weight after the decision (null when the decision did not say). */
  next_weight: number | null;
  /** The decision's `decided_at`, repeated so the board's timeline reads one index in order. */
  decided_at: string;
}

/** A shadow run's evidence (`cutover.shadow/v1`), as `cutover shadow --publish` posts it. */
export interface ShadowRunTable {
  id: Generated<number>;
  provider: string | null;
  candidate_version: string | null;
  finished_at: string;
  content: string;
  created_at: string;
}

/** A webhook event waiting for, or done with, delivery; queued in the transaction of the write that caused it. */
export interface WebhookDeliveryTable {
  id: Generated<number>;
  webhook_uuid: string;
  /** The event name (`contract_published`, …, `cutover_gate_decision_recorded`). */
  event: string;
  /** The template variables of the event, as JSON (`pactbroker.pactUrl`, `cutover.route`, …). */
  variables: string;
  /** `pending`, `succeeded` or `failed` (every attempt used, or the webhook is gone). */
  status: string;
  attempts: number;
  next_attempt_at: string;
  /** Set while a dispatcher sends it, so two brokers on one database never send it twice at once. */
  locked_until: string | null;
  created_at: string;
  updated_at: string;
}

/** One attempt to deliver: the request as sent (credentials masked) and what came back. */
export interface WebhookAttemptTable {
  id: Generated<number>;
  delivery_id: number;
  attempt: number;
  started_at: string;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
  request: string;
  response_body: string | null;
}

export interface Database {
  pacticipants: PacticipantTable;
  versions: VersionTable;
  branches: BranchTable;
  branch_versions: BranchVersionTable;
  tags: TagTable;
  pact_versions: PactVersionTable;
  integrations: IntegrationTable;
  pact_publications: PactPublicationTable;
  verifications: VerificationTable;
  environments: EnvironmentTable;
  deployed_versions: DeployedVersionTable;
  released_versions: ReleasedVersionTable;
  webhooks: WebhookTable;
  decisions: DecisionTable;
  decision_routes: DecisionRouteTable;
  webhook_deliveries: WebhookDeliveryTable;
  webhook_attempts: WebhookAttemptTable;
  shadow_runs: ShadowRunTable;
}
