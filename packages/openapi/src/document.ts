import { appendPointer, formatPointer, type JsonObject, type SchemaViolation } from '@cutover/core';
import { guessContentType, hasBody } from './body.js';
import {
  ambiguity,
  OperationIndex,
  unknownOperation,
  type FoundOperation,
  type OperationInfo,
  type OperationLookup,
} from './operations.js';
import { parseCookieHeader } from './params.js';
import { DocumentPlans } from './plans.js';
import {
  checkParameter,
  checkRequestBody,
  mergeQuery,
  splitQuery,
  type RequestCheckContext,
} from './request-checks.js';
import { checkResponseBody, checkResponseHeaders } from './response-checks.js';
import { SchemaCompiler } from './schema.js';
import { findUndeclaredFields } from './undeclared.js';

export type { FoundOperation, OperationInfo, OperationLookup, OperationNotFound } from './operations.js';

/** A request to validate. Header names are case-insensitive; `body: undefined` means no body. */
export interface RequestToValidate {
  method: string;
  /** The path as sent, optionally with a query string. */
  path: string;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string | string[] | undefined>;
  /** Cookies by name; when omitted they are read from the `Cookie` header. */
  cookies?: Record<string, string>;
  /**
   * The body: the parsed JSON value (a string is a JSON string), the text of a non-JSON body, or
   * a Buffer of raw bytes (parsed according to the content type).
   */
  body?: unknown;
  /** Defaults to the `Content-Type` header. */
  contentType?: string;
}

export interface ResponseToValidate {
  status: number;
  headers?: Record<string, string | string[] | undefined>;
  /** As {@link RequestToValidate.body}. */
  body?: unknown;
  contentType?: string;
}

export interface ValidateResponseOptions {
  /**
   * The body shows only some fields, as a pact's example response does (Pact ignores fields the
   * consumer does not mention): `required` properties that are absent are not reported.
   */
  partialBody?: boolean;
  /**
   * Report documented `required` response headers that are missing (default `true`). A pact lists
   * only the headers its consumer relies on, so `checkPacts` turns this off.
   */
  requireDocumentedHeaders?: boolean;
}

const NO_HEADERS: ReadonlyMap<string, string[]> = new Map();

/**
 * A loaded, indexed OpenAPI document. Build one with {@link loadOpenApi}.
 *
 * @example
 * const doc = await loadOpenApi('openapi.yaml');
 * const violations = doc.validateResponse({ method: 'GET', path: '/shipments/1' }, { status: 200, body, contentType: 'application/json' });
 */
export class OpenApiDocument {
  /** `3.0` or `3.1`. */
  readonly version: '3.0' | '3.1';
  /** The `openapi` field as written (`3.0.3`). */
  readonly openapi: string;
  /** File, URL or name the document came from. */
  readonly source: string;
  /** The bundled document (all `$ref`s local). Treat as read-only. */
  readonly document: JsonObject;
  readonly operations: readonly OperationInfo[];
  private readonly index: OperationIndex;
  private readonly compiler: SchemaCompiler;
  private readonly plans: DocumentPlans;
  private readonly checks: RequestCheckContext;

  constructor(document: JsonObject, options: { source: string; basePath?: string }) {
    this.document = document;
    this.source = options.source;
    this.openapi = String(document.openapi);
    this.version = this.openapi.startsWith('3.1') ? '3.1' : '3.0';
    this.compiler = new SchemaCompiler(document, this.version);
    this.index = new OperationIndex(document, options.basePath);
    this.operations = this.index.operations;
    this.plans = new DocumentPlans(document, this.compiler);
    this.checks = { document, compiler: this.compiler, plans: this.plans };
  }

  /**
   * Document-level `operation.ambiguous` warnings: templates with the same shape and method
   * (`/pets/{id}` and `/pets/{name}`), which no request can tell apart.
   */
  ambiguousTemplates(): SchemaViolation[] {
    return this.index.ambiguousTemplates();
  }

  /** Number of schemas compiled so far; compilation happens on first use. */
  get compiledSchemas(): number {
    return this.compiler.compiledCount;
  }

  /**
   * Finds the operation a concrete request addresses. Literal segments win over templated ones;
   * when two templates match equally (`/pets/{id}` and `/pets/{name}`) the result is `ambiguous`.
   *
   * @example
   * doc.findOperation('GET', '/v1/shipments/42') // { kind: 'found', pathTemplate: '/shipments/{id}', params: { id: '42' }, ... }
   */
  findOperation(method: string, concretePath: string): OperationLookup {
    return this.index.find(method, concretePath);
  }

  /**
   * Validates a request: the operation exists, its path/query/header/cookie parameters and its body.
   *
   * @example
   * doc.validateRequest({ method: 'POST', path: '/shipments', body: { weight: 2 }, contentType: 'application/json' })
   */
  validateRequest(request: RequestToValidate): SchemaViolation[] {
    const [path, queryString] = splitQuery(request.path);
    const lookup = this.findOperation(request.method, path);
    if (lookup.kind === 'not-found') return [unknownOperation(lookup, 'request')];
    const violations: SchemaViolation[] = [];
    if (lookup.kind === 'ambiguous') violations.push(ambiguity(lookup, 'request'));
    const query = mergeQuery(queryString, request.query);
    const headers = lowerHeaders(request.headers);
    const cookies = request.cookies ?? parseCookieHeader(headers.get('cookie') ?? []);
    const consumed = new Set<string>();
    for (const p of this.plans.parametersOf(lookup.operation)) {
      violations.push(...checkParameter(this.checks, p, lookup.params, query, headers, cookies, consumed));
    }
    violations.push(...checkRequestBody(this.checks, lookup.operation, request, headers));
    return violations;
  }

  /**
   * Validates a response against the operation's documented responses: status (exact, `2XX`,
   * `default` as a warning), content type, headers and body schema. `target` is the request
   * (method + path) or a lookup already made with {@link findOperation}.
   */
  validateResponse(
    target: { method: string; path: string } | FoundOperation,
    response: ResponseToValidate,
    options: ValidateResponseOptions = {},
  ): SchemaViolation[] {
    const lookup = 'kind' in target ? target : this.findOperation(target.method, target.path);
    if (lookup.kind === 'not-found') return [unknownOperation(lookup, 'response')];
    const violations: SchemaViolation[] = [];
    const op = lookup.operation;
    const plan = this.plans.responsePlan(op, response.status);
    if (plan.key === undefined) {
      violations.push({
        code: 'response.status.undocumented',
        severity: 'error',
        on: 'response',
        instancePath: 'status',
        schemaPath: formatPointer(plan.responsesPointer),
        rule: 'status',
        message: `status ${response.status} is not documented for ${op.method} ${op.pathTemplate} (documented: ${plan.documentedStatuses.join(', ') || 'none'})`,
      });
      return violations;
    }
    if (plan.key === 'default') {
      violations.push({
        code: 'response.status.default',
        severity: 'warning',
        on: 'response',
        instancePath: 'status',
        schemaPath: formatPointer(appendPointer(plan.responsesPointer, 'default')),
        rule: 'status',
        message: `status ${response.status} is only covered by the "default" response of ${op.method} ${op.pathTemplate}`,
      });
    }
    if (!plan.documented) return violations;
    const headers = response.headers === undefined ? NO_HEADERS : lowerHeaders(response.headers);
    if (plan.headers.length > 0) violations.push(...checkResponseHeaders(this.compiler, plan, headers, options));
    if (hasBody(response.body)) {
      const label = `${op.method} ${op.pathTemplate} ${plan.key}`;
      violations.push(
        ...checkResponseBody(this.compiler, this.plans, plan, response, headers, label, options.partialBody === true),
      );
    }
    return violations;
  }

  /**
   * Fields of a JSON response body that the documented schema does not declare (code
   * `response.body.undeclared-field`). Used by `cutover openapi check`: a consumer expecting a field
   * the document does not promise relies on an accident of the implementation.
   *
   * @example
   * doc.undeclaredResponseFields({ method: 'GET', path: '/shipments/1' }, { status: 200, body: { id: 1, legacyCode: 'x' } })
   */
  undeclaredResponseFields(
    target: { method: string; path: string } | FoundOperation,
    response: ResponseToValidate,
  ): SchemaViolation[] {
    if (!hasBody(response.body)) return [];
    const lookup = 'kind' in target ? target : this.findOperation(target.method, target.path);
    if (lookup.kind === 'not-found') return [];
    const plan = this.plans.responsePlan(lookup.operation, response.status);
    if (!plan.documented) return [];
    const headers = response.headers === undefined ? NO_HEADERS : lowerHeaders(response.headers);
    const contentType =
      response.contentType ?? headers.get('content-type')?.[0] ?? guessContentType(response.body, plan.types);
    const media = contentType === undefined ? undefined : this.plans.mediaPlan(plan, contentType);
    if (!media || media.mode !== 'json' || media.schemaPointer === undefined) return [];
    let body: unknown = response.body;
    if (Buffer.isBuffer(body)) {
      try {
        body = JSON.parse(body.toString('utf8'));
      } catch {
        return [];
      }
    }
    return findUndeclaredFields(body, media.schemaPointer, {
      document: this.document,
      // Pact bodies are partial: a branch is taken when the fields present fit it.
      test: (pointer, value) => this.compiler.get('response-partial', pointer).test(value),
      code: 'response.body.undeclared-field',
      on: 'response',
      subject: 'response body',
    });
  }
}

function lowerHeaders(headers: Record<string, string | string[] | undefined> | undefined): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (v === undefined) continue;
    const key = k.toLowerCase();
    out.set(key, [...(out.get(key) ?? []), ...(Array.isArray(v) ? v : [v])]);
  }
  return out;
}
