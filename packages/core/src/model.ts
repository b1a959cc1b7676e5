/**
 * The internal pact model. Pact files of spec v2, v3 and v4 are loaded by adapters into this one
 * shape; the specification version is data (`specVersion`), never a folder of duplicated code.
 */

/** Major version of the Pact specification a pact (or a request/response) follows. */
export type SpecMajor = 2 | 3 | 4;

export interface Pacticipant {
  name: string;
}

export interface ProviderState {
  name: string;
  params: Record<string, unknown>;
}

/**
 * A body as recorded in a pact. `absent` means the pact says nothing about the body (v2/v3 key
 * missing, v4 `content` missing); `present` with `content === null` is an explicit JSON null;
 * `present` with `content === ''` is an explicit empty body.
 */
export type HttpBody =
  | { kind: 'absent' }
  | {
      kind: 'present';
      /** Parsed JSON value for JSON bodies; the text for any other content (base64 text when `encoded`). */
      content: unknown;
      /** Content type declared for the body (v4 `contentType`), or derived from the headers. */
      contentType?: string;
      /** v4 `encoded`: the content is base64 (`'base64'`) or JSON text (`'json'`) rather than a value. */
      encoded?: 'base64' | 'json' | false;
    };

/** A list of matchers that apply at one place, combined with AND (default) or OR. */
export interface RuleList {
  combine: 'AND' | 'OR';
  matchers: MatcherDefinition[];
}

/** One matcher as it appears in a pact, e.g. `{ match: 'type', min: 1 }` or `{ match: 'regex', regex: '\\d+' }`. */
export interface MatcherDefinition {
  match: string;
  [option: string]: unknown;
}

/**
 * Matching rules by category. For `body` the keys are path expressions (`$.items[*].id`); for
 * `header` and `query` the keys are names (or path expressions for v4 sub-values); `path` and
 * `status` use the single key `''`.
 */
export interface MatchingRules {
  path?: Record<string, RuleList>;
  query?: Record<string, RuleList>;
  header?: Record<string, RuleList>;
  body?: Record<string, RuleList>;
  status?: Record<string, RuleList>;
  metadata?: Record<string, RuleList>;
  [category: string]: Record<string, RuleList> | undefined;
}

/** One generator as it appears in a pact, e.g. `{ type: 'Uuid' }` or `{ type: 'ProviderState', expression: '${id}' }`. */
export interface GeneratorDefinition {
  type: string;
  [option: string]: unknown;
}

/** Generators by category; keys as in {@link MatchingRules} (`path`, `status` use `''`). */
export interface Generators {
  path?: Record<string, GeneratorDefinition>;
  query?: Record<string, GeneratorDefinition>;
  header?: Record<string, GeneratorDefinition>;
  body?: Record<string, GeneratorDefinition>;
  status?: Record<string, GeneratorDefinition>;
  [category: string]: Record<string, GeneratorDefinition> | undefined;
}

export interface HttpRequest {
  method: string;
  /** The raw path, without query string. */
  path: string;
  /** Query parameters in order of appearance; each name maps to all its values. */
  query: Record<string, string[]>;
  /** Header names as written in the pact; each maps to its values (a v3 `"a, b"` string is one value). */
  headers: Record<string, string[]>;
  body: HttpBody;
  matchingRules: MatchingRules;
  generators: Generators;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string[]>;
  body: HttpBody;
  matchingRules: MatchingRules;
  generators: Generators;
}

interface InteractionBase {
  /** Position in the pact file's interaction list (0-based). */
  index: number;
  /** v4 interaction key, when the pact has one. */
  key?: string;
  description: string;
  providerStates: ProviderState[];
  /** v4 `pending` flag: a failure of a pending interaction is reported but does not fail the build. */
  pending: boolean;
  comments?: Record<string, unknown>;
}

/** A request/response interaction: cutover can replay it against a target. */
export interface HttpInteraction extends InteractionBase {
  type: 'http';
  replayable: true;
  request: HttpRequest;
  response: HttpResponse;
}

/** A v4 message interaction: loaded and reported, but there is nothing to replay over HTTP. */
export interface MessageInteraction extends InteractionBase {
  type: 'async-message' | 'sync-message';
  replayable: false;
  /** The interaction exactly as it appears in the pact file. */
  raw: Record<string, unknown>;
}

export type Interaction = HttpInteraction | MessageInteraction;

/** An interaction the loader could not read; the rest of the pact stays usable. */
export interface InteractionProblem {
  index: number;
  description?: string;
  /** JSON path of the offending value inside the pact, e.g. `$.interactions[3].response.status`. */
  jsonPath: string;
  message: string;
  /**
   * The error code, e.g. `CUTOVER_MATCHING_RULE_INVALID` for a bad rule, `CUTOVER_GENERATOR_INVALID`
   * for a bad generator, `CUTOVER_PACT_INVALID` for a malformed shape.
   */
  code?: string;
}

export interface Pact {
  consumer: Pacticipant;
  provider: Pacticipant;
  specMajor: SpecMajor;
  /** The version string as written in the pact's metadata (`"2.0.0"`, `"3.0.0"`, `"4.0"`). */
  specVersion: string;
  metadata: Record<string, unknown>;
  interactions: Interaction[];
  /** Interactions that could not be loaded (only when loaded with `{ lenient: true }`). */
  problems: InteractionProblem[];
  /** File path or URL the pact came from, when known. */
  source?: string;
}

/** What a matcher found wrong; every mismatch can be acted on by a person. */
export type MismatchKind = 'status' | 'method' | 'path' | 'query' | 'header' | 'body' | 'body-type' | 'metadata';

export interface Mismatch {
  kind: MismatchKind;
  /** Where: `$.items[0].id` for bodies, the header or query name, `$` for status/method/path. */
  path: string;
  expected: unknown;
  actual: unknown;
  /** One plain sentence a person can act on. */
  message: string;
}

export interface MatchResult {
  ok: boolean;
  mismatches: Mismatch[];
}
