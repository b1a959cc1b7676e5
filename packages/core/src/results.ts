/**
 * The verification results format: what `cutover verify --json` writes, what `cutover gate`
 * reads, and what the broker stores. Versioned by `format`; readers must refuse other formats.
 */
import type { Mismatch, ProviderState } from './model.js';

export const RESULTS_FORMAT = 'cutover.verification/v1' as const;

export type TargetName = 'monolith' | 'candidate';

/** One schema violation found by the OpenAPI engine. */
export interface SchemaViolation {
  /** Stable code, e.g. `response.body.type`, `response.status.undocumented`. */
  code: string;
  severity: 'error' | 'warning';
  /** Which message was checked. */
  on: 'request' | 'response';
  /** JSON pointer into the payload (`/items/0/id`), or a parameter location (`query/limit`). */
  instancePath: string;
  /** JSON pointer into the OpenAPI document (`#/paths/~1shipments~1{id}/get/responses/200/...`). */
  schemaPath: string;
  /** The rule broken (`type`, `required`, `additionalProperties`, `format`...). */
  rule: string;
  message: string;
}

/** How one target answered one interaction. */
export interface TargetOutcome {
  /** `error` means no judgement was possible (dead target, timeout, garbage, state setup failed). */
  outcome: 'pass' | 'fail' | 'error' | 'skipped';
  status?: number;
  mismatches: Mismatch[];
  error?: { code: string; message: string };
  timingMs: number;
}

export type DifferenceKind =
  | 'status'
  | 'header'
  | 'missing'
  | 'extra'
  | 'type'
  | 'value'
  | 'array-length'
  | 'array-order'
  | 'body-type'
  /** A key written a different number of times in one object (`{"id":999,"id":1}`). */
  | 'duplicate-key';

/** One way the candidate's response differs from the monolith's. */
export interface Difference {
  kind: DifferenceKind;
  /** `$.a.b[0]` for bodies; the header name for headers; `$` for status. */
  path: string;
  /**
   * Each side's value. In a number difference where a side holds a number JSON.parse would change
   * (`10.0`, `9007199254740993`, `1e400`), both sides are given as their text, as the targets wrote
   * them; for `duplicate-key`, how many times each side wrote the key.
   */
  monolith: unknown;
  candidate: unknown;
  message: string;
  /** Set when this difference is noise: declared in config, or seen between the monolith's own samples. */
  noise?: 'declared' | 'sampled';
}

export interface ParityResult {
  status: 'identical' | 'noise-only' | 'differs' | 'not-compared';
  /** Differences that count. */
  differences: Difference[];
  /** Differences explained as noise: reported, never silently dropped. */
  noise: Difference[];
  /**
   * Why the monolith was not replayed for noise samples although the responses differ (an unsafe
   * method with no provider state to isolate a second request): every difference counts as found.
   */
  notSampled?: string;
}

export interface SchemaResult {
  request: SchemaViolation[];
  monolith: SchemaViolation[];
  candidate: SchemaViolation[];
  /** Candidate violations the monolith shares. */
  baseline: SchemaViolation[];
  /** Candidate violations the monolith does not have. */
  regressions: SchemaViolation[];
}

export interface InteractionResult {
  /** Index into {@link VerificationReport.pacts} of the pact this interaction came from. */
  pact?: number;
  consumer: string;
  provider: string;
  description: string;
  interactionKey?: string;
  providerStates: ProviderState[];
  pending: boolean;
  route: { method: string; path: string; template?: string };
  targets: Partial<Record<TargetName, TargetOutcome>>;
  parity: ParityResult;
  schema?: SchemaResult;
}

export interface PactReference {
  consumer: string;
  provider: string;
  /** File path or broker URL. */
  source: string;
  consumerVersion?: string;
  branch?: string;
  /** When the pact content was published or last changed (ISO 8601), when known. */
  createdAt?: string;
  /** SHA-256 of the pact content, so the gate can tell which pact was verified. */
  sha256?: string;
}

export interface VerificationReport {
  format: typeof RESULTS_FORMAT;
  tool: { name: 'cutover'; version: string };
  startedAt: string;
  finishedAt: string;
  provider: { name: string; version?: string; branch?: string };
  targets: Partial<Record<TargetName, { url: string }>>;
  openapi?: { source: string };
  pacts: PactReference[];
  results: InteractionResult[];
  summary: {
    interactions: number;
    passed: number;
    failed: number;
    errored: number;
    skipped: number;
    parity: { identical: number; noiseOnly: number; differs: number; notCompared: number };
  };
}
