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
  /**
   * Position of the interaction in its pact's `interactions` (0-based). With `pact` (and that
   * pact's `sha256`) it identifies the interaction, so the gate can tell which ones have no result.
   */
  index?: number;
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

/**
 * Which interactions a run selected. Recorded in the results whenever a filter was given, so the
 * evidence says it covers part of the pacts only.
 */
export interface VerificationFilters {
  /** Consumer names to keep (exact). */
  consumers?: string[];
  /** Keep interactions whose description contains one of these strings. */
  descriptions?: string[];
  /** Keep interactions that have a provider state with one of these names. */
  states?: string[];
  /** Route patterns such as `GET /shipments/*` or `/shipments/**` (method optional). */
  routes?: string[];
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
  /** Present when the run was filtered: its results cover only the interactions the filters kept. */
  filters?: VerificationFilters;
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

/** How one interaction came out overall. */
export function interactionStatus(result: InteractionResult): 'passed' | 'failed' | 'errored' | 'skipped' {
  const outcomes = Object.values(result.targets);
  if (outcomes.length > 0 && outcomes.every((o) => o.outcome === 'skipped')) return 'skipped';
  if (outcomes.some((o) => o.outcome === 'error')) return 'errored';
  if (outcomes.some((o) => o.outcome === 'fail')) return 'failed';
  if (result.parity.status === 'differs') return 'failed';
  if ((result.schema?.regressions.length ?? 0) > 0) return 'failed';
  // With the monolith as the only target there is nothing to share a violation with: its
  // violations are not a baseline but the finding of the run.
  if (monolithOnly(result) && (result.schema?.monolith.length ?? 0) > 0) return 'failed';
  return 'passed';
}

/** True when the monolith was the only target verified for this interaction. */
export function monolithOnly(result: InteractionResult): boolean {
  return result.targets.monolith !== undefined && result.targets.candidate === undefined;
}

/** The `summary` of a report: what `cutover verify` writes and what the gate checks it against. */
export function summarizeResults(results: InteractionResult[]): VerificationReport['summary'] {
  const summary: VerificationReport['summary'] = {
    interactions: results.length,
    passed: 0,
    failed: 0,
    errored: 0,
    skipped: 0,
    parity: { identical: 0, noiseOnly: 0, differs: 0, notCompared: 0 },
  };
  for (const result of results) {
    summary[interactionStatus(result)]++;
    const key = (
      { identical: 'identical', 'noise-only': 'noiseOnly', differs: 'differs', 'not-compared': 'notCompared' } as const
    )[result.parity.status];
    summary.parity[key]++;
  }
  return summary;
}
