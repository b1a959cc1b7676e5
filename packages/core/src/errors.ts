import { redactCredentials } from './text.js';

/**
 * One registry of coded errors. Every failure kind cutover reports has a stable `CUTOVER_…` code,
 * a message that names the file, path or URL involved, and keeps the real cause.
 *
 * @example
 * try { await loadPact('pacts/web-app.json') }
 * catch (e) { if (isCutoverError(e) && e.code === 'CUTOVER_PACT_INVALID') console.error(e.message) }
 */
export const ErrorCodes = {
  /** A pact file could not be read or parsed, or does not have the shape of a pact. */
  PACT_INVALID: 'CUTOVER_PACT_INVALID',
  /** A pact declares a specification version cutover does not understand. */
  PACT_SPEC_UNSUPPORTED: 'CUTOVER_PACT_SPEC_UNSUPPORTED',
  /** A matching rule is malformed (unknown matcher, bad regex, bad path expression...). */
  MATCHING_RULE_INVALID: 'CUTOVER_MATCHING_RULE_INVALID',
  /**
   * A regular expression is valid in its dialect but uses a construct cutover's linear-time engine
   * does not run (backreference, lookaround, atomic group, possessive quantifier...): the
   * interactions or schemas that use it end in an error, never in an unbounded match.
   */
  REGEX_UNSUPPORTED: 'CUTOVER_REGEX_UNSUPPORTED',
  /** A generator is malformed or cannot produce a value. */
  GENERATOR_INVALID: 'CUTOVER_GENERATOR_INVALID',
  /** An OpenAPI document could not be loaded or is invalid. */
  OPENAPI_INVALID: 'CUTOVER_OPENAPI_INVALID',
  /** A configuration or policy file is malformed. */
  CONFIG_INVALID: 'CUTOVER_CONFIG_INVALID',
  /** The command line was used wrongly. */
  USAGE: 'CUTOVER_USAGE',
  /** A target (monolith, candidate, broker) could not be reached or answered garbage. */
  TARGET_UNREACHABLE: 'CUTOVER_TARGET_UNREACHABLE',
  /** A provider-state setup or teardown failed. */
  PROVIDER_STATE_FAILED: 'CUTOVER_PROVIDER_STATE_FAILED',
  /** Evidence for a decision is missing, stale or unusable. */
  EVIDENCE_INVALID: 'CUTOVER_EVIDENCE_INVALID',
  /** Writing a report or artifact failed (full disk, permissions...), or its path is no ordinary file (/proc, /sys, a device). */
  OUTPUT_FAILED: 'CUTOVER_OUTPUT_FAILED',
  /**
   * A broker request failed: unreachable, timed out, refused (the HTTP status is in `details.status`),
   * or answered something that is not the expected JSON (the Pact Broker client, `@cutover/broker-client`).
   */
  BROKER_FAILED: 'CUTOVER_BROKER_FAILED',
  /** The broker server's database cannot be opened, migrated or written (file, URL and cause in details). */
  BROKER_STORAGE_FAILED: 'CUTOVER_BROKER_STORAGE_FAILED',
  /** A request/response handed to the matcher as the observed (actual) one is malformed; the pact is not at fault. */
  OBSERVED_INVALID: 'CUTOVER_OBSERVED_INVALID',
  /** A verification run had no interaction to verify (filters matched nothing, an empty pact). */
  NOTHING_VERIFIED: 'CUTOVER_NOTHING_VERIFIED',
  /**
   * A target's answer is beyond a safety limit: a body larger than the body limit (`maxBodyBytes`,
   * `--max-body`), or a JSON (or XML) body nested deeper than `MAX_JSON_DEPTH`. The interaction
   * errors; the run goes on.
   */
  LIMIT_EXCEEDED: 'CUTOVER_LIMIT_EXCEEDED',
  /** A pact names another provider than the one being verified (`--provider`, or the run's other pacts). */
  PACT_PROVIDER_MISMATCH: 'CUTOVER_PACT_PROVIDER_MISMATCH',
  /**
   * An interaction cannot be replayed over HTTP (a v4 message interaction). Not thrown: it is the
   * `error.code` of that interaction's `skipped` outcome in the results.
   */
  NOT_REPLAYABLE: 'CUTOVER_NOT_REPLAYABLE',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

export interface CutoverErrorOptions {
  cause?: unknown;
  /** Structured facts about the failure (file, JSON path, URL...), for reports and `--json`. */
  details?: Record<string, unknown>;
}

/** Base class of every error cutover throws on purpose. */
export class CutoverError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: CutoverErrorOptions = {}) {
    // Messages and details are printed and published: credentials in a URL never reach them.
    super(redactCredentials(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = Object.fromEntries(
      Object.entries(options.details ?? {}).map(([key, value]) => [
        key,
        typeof value === 'string' ? redactCredentials(value) : value,
      ]),
    );
  }

  toJSON(): { code: ErrorCode; name: string; message: string; details: Record<string, unknown> } {
    return { code: this.code, name: this.name, message: this.message, details: this.details };
  }
}

/** True for errors thrown by cutover on purpose (they carry a stable code). */
export function isCutoverError(value: unknown): value is CutoverError {
  return value instanceof CutoverError;
}

/** A pact is unreadable or malformed. `details` carries `source` (file) and `jsonPath`. */
export class PactLoadError extends CutoverError {
  constructor(message: string, options: CutoverErrorOptions = {}) {
    super(ErrorCodes.PACT_INVALID, message, options);
  }
}

export class UnsupportedSpecError extends CutoverError {
  constructor(message: string, options: CutoverErrorOptions = {}) {
    super(ErrorCodes.PACT_SPEC_UNSUPPORTED, message, options);
  }
}

/** A matching rule is malformed. `details` carries `path` (the rule's path expression) and `rule`. */
export class MatchingRuleError extends CutoverError {
  constructor(message: string, options: CutoverErrorOptions = {}) {
    super(ErrorCodes.MATCHING_RULE_INVALID, message, options);
  }
}

/** A regex uses a construct the linear-time engine does not run. `details` carries `jsonPath`, `pattern`, `construct`. */
export class RegexUnsupportedError extends CutoverError {
  constructor(message: string, options: CutoverErrorOptions = {}) {
    super(ErrorCodes.REGEX_UNSUPPORTED, message, options);
  }
}

/** The actual (observed) request/response given to the matcher is malformed. `details` carries `jsonPath`. */
export class ObservedInvalidError extends CutoverError {
  constructor(message: string, options: CutoverErrorOptions = {}) {
    super(ErrorCodes.OBSERVED_INVALID, message, options);
  }
}

export class GeneratorError extends CutoverError {
  constructor(message: string, options: CutoverErrorOptions = {}) {
    super(ErrorCodes.GENERATOR_INVALID, message, options);
  }
}

export class ConfigError extends CutoverError {
  constructor(message: string, options: CutoverErrorOptions = {}) {
    super(ErrorCodes.CONFIG_INVALID, message, options);
  }
}

export class UsageError extends CutoverError {
  constructor(message: string, options: CutoverErrorOptions = {}) {
    super(ErrorCodes.USAGE, message, options);
  }
}

/**
 * An OpenAPI document could not be loaded, is invalid, or holds a schema that cannot be compiled.
 * `details` carries `source` (file or URL) and, when known, `pointer` (JSON pointer in that file).
 *
 * @example
 * try { await loadOpenApi('openapi.yaml') }
 * catch (e) { if (e instanceof OpenApiError) console.error(e.details.source, e.details.pointer) }
 */
export class OpenApiError extends CutoverError {
  constructor(message: string, options: CutoverErrorOptions = {}) {
    super(ErrorCodes.OPENAPI_INVALID, message, options);
  }
}

/** A target could not be reached, timed out, reset or answered something that is not HTTP. */
export class TargetError extends CutoverError {
  constructor(message: string, options: CutoverErrorOptions = {}) {
    super(ErrorCodes.TARGET_UNREACHABLE, message, options);
  }
}

/** A provider-state setup or teardown failed; the interaction is an `error` on that target. */
export class ProviderStateError extends CutoverError {
  constructor(message: string, options: CutoverErrorOptions = {}) {
    super(ErrorCodes.PROVIDER_STATE_FAILED, message, options);
  }
}

/** Evidence for a gate decision is unusable. `details` carries `source` (file) and, when known, `jsonPath`. */
export class EvidenceError extends CutoverError {
  constructor(message: string, options: CutoverErrorOptions = {}) {
    super(ErrorCodes.EVIDENCE_INVALID, message, options);
  }
}

/**
 * A run verified no interaction at all. The CLI exits 1 with its message: an empty run is a
 * failure, not a pass (`allowEmpty` accepts it).
 */
export class NothingVerifiedError extends CutoverError {
  constructor(message: string, options: CutoverErrorOptions = {}) {
    super(ErrorCodes.NOTHING_VERIFIED, message, options);
  }
}

/** A pact names another provider than the one being verified. `details` carries `source` and `provider`. */
export class PactProviderMismatchError extends CutoverError {
  constructor(message: string, options: CutoverErrorOptions = {}) {
    super(ErrorCodes.PACT_PROVIDER_MISMATCH, message, options);
  }
}

/** A value is beyond a safety limit; `details` carries `limit` and what was found. */
export class LimitExceededError extends CutoverError {
  constructor(message: string, options: CutoverErrorOptions = {}) {
    super(ErrorCodes.LIMIT_EXCEEDED, message, options);
  }
}

export class OutputError extends CutoverError {
  constructor(message: string, options: CutoverErrorOptions = {}) {
    super(ErrorCodes.OUTPUT_FAILED, message, options);
  }
}

/** A short description of any thrown value, keeping the code when there is one. */
export function describeError(error: unknown): { code?: string; message: string } {
  if (isCutoverError(error)) return { code: error.code, message: error.message };
  if (error instanceof Error) {
    // Not ours (a library's, the runtime's): its message may quote a URL with credentials.
    const message = redactCredentials(error.message);
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? { code, message } : { message };
  }
  return { message: redactCredentials(String(error)) };
}
