import type { TargetName, VerificationFilters } from '@cutover/core';
import type { ConsumerVersionSelector } from '@cutover/broker-client';
import type { NoiseConfig } from './noise.js';

export interface BrokerOptions {
  url: string;
  /** Provider whose pacts are fetched with the "pacts for verification" API. */
  provider: string;
  consumerVersionSelectors?: ConsumerVersionSelector[];
  /** Basic auth (`username` + `password`) or a bearer `token`. */
  username?: string;
  password?: string;
  token?: string;
  /** Sent as `providerVersionBranch`, so the broker can compute pending and WIP pacts. */
  providerVersionBranch?: string;
  /** Default: true when `providerVersionBranch` is given. */
  includePendingStatus?: boolean;
  /** Also verify work-in-progress pacts published since this date (needs `providerVersionBranch`). */
  includeWipPactsSince?: string;
  /** Per-request deadline for the broker (default 30,000 ms). */
  timeoutMs?: number;
  /**
   * Called with what the broker says about each selected pact before verification (why it was
   * selected, whether it is pending or WIP), as stock verifiers print it.
   */
  onNotice?: (notice: { pact: string; text: string }) => void;
}

/** A request as the verifier is about to send it; a request hook may return a changed copy. */
export interface OutgoingRequest {
  method: string;
  /** Path and query string, e.g. `/shipments/1?full=true` (before the target's base path). */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface RequestHookContext {
  target: TargetName;
  url: string;
  consumer: string;
  description: string;
}

/** A request-rewrite hook: `export default (request, context) => request`. */
export type RequestHook = (
  request: OutgoingRequest,
  context: RequestHookContext,
) => OutgoingRequest | Promise<OutgoingRequest>;

/** A path rewrite rule for the candidate: a path starting with `from` gets `to` in its place. */
export interface PathRewrite {
  from: string;
  to: string;
}

/** How one target's provider states are set up: the Pact state-change URL or a handler module. */
export type StateConfig = { url: string } | { module: string };

export interface TargetOptions {
  url: string;
  states?: StateConfig;
  /** Extra headers sent with every replayed request (e.g. an auth token). */
  headers?: Record<string, string>;
  /** A module whose default export is a {@link RequestHook}. */
  requestHook?: string;
  /** Path rewrites, applied in order (first match wins). Usually for the candidate only. */
  rewritePaths?: PathRewrite[];
}

/** Which interactions to verify; recorded in the report as `filters`. */
export type VerifyFilters = VerificationFilters;

export interface VerifyOptions {
  /** Pact files, folders and globs (relative to `cwd`). */
  pacts?: string[];
  broker?: BrokerOptions;
  monolith?: TargetOptions;
  candidate?: TargetOptions;
  /**
   * `per-target` (default): stateful interactions run one at a time on each target, the two targets
   * in parallel. `shared`: one lane for both targets, for state handlers that seed one shared store.
   */
  stateLanes?: 'per-target' | 'shared';
  filters?: VerifyFilters;
  /** A noise file (YAML/JSON) or the parsed configuration. */
  noise?: string | NoiseConfig;
  /** How many times the monolith is replayed to detect noise (default 2; 1 disables sampling). */
  noiseSamples?: number;
  /**
   * Re-send unsafe requests (POST, PUT, PATCH, DELETE…) to the monolith for noise samples even when
   * no provider state isolates them. Off by default: a second POST is a second write. Without it,
   * such an interaction is not sampled and its differences are judged strictly
   * (`parity.notSampled` says why).
   */
  sampleUnsafeMethods?: boolean;
  /** OpenAPI document path or URL. */
  openapi?: string;
  /**
   * The folder the OpenAPI document's `$ref`s to local files must stay in (default: the
   * document's own folder); relative to `cwd`.
   */
  refRoot?: string;
  /**
   * Let the OpenAPI document's `$ref`s fetch http(s) URLs (default: only when the document itself
   * is a URL); non-public addresses are refused either way.
   */
  allowRemoteRefs?: boolean;
  /** Parallel requests per target for stateless interactions (default 8). Ranges: `VERIFY_LIMITS`. */
  concurrency?: number;
  /** Per-request timeout in milliseconds (default 10,000; at most 2^31-1, setTimeout's limit). */
  timeoutMs?: number;
  /** Retries for connection failures only (default 2, at most 10); a received response is never retried. */
  retries?: number;
  /**
   * Largest response body read from a target or state URL, in bytes (default 10 MiB): a larger one
   * gives the interaction an `error` outcome (`CUTOVER_LIMIT_EXCEEDED`) and is not read further.
   */
  maxBodyBytes?: number;
  provider?: { name?: string; version?: string; branch?: string };
  cwd?: string;
  /** Called after each interaction, for progress display. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Accept a run that verifies no interaction (filters that match nothing, empty or message-only
   * pacts). Without it such a run throws {@link NothingVerifiedError}: verifying nothing is not a pass.
   */
  allowEmpty?: boolean;
}
