import { appendPointer, formatPointer, getAtPointer, isObject, type JsonObject, refToPointer } from '@cutover/core';
import type { SchemaViolation } from '@cutover/core';
import { isFormMediaType, isJsonMediaType, isTextMediaType, matchMediaType } from './media.js';
import {
  parseCookieHeader,
  readPathValue,
  readPrimitive,
  readQueryValue,
  readStyled,
  shapeOf,
  type ParameterLocation,
  type ShapeInfo,
} from './params.js';
import { HTTP_METHODS, Router, serverBasePath, type BasePath } from './router.js';
import { SchemaCompiler, type CompiledSchema, type Direction, type ViolationContext } from './schema.js';
import { findUndeclaredFields } from './undeclared.js';

/** One documented operation. */
export interface OperationInfo {
  /** Upper case: `GET`. */
  method: string;
  /** As written under `paths`: `/shipments/{id}`. */
  pathTemplate: string;
  operationId?: string;
  /** JSON pointer of the operation in the document: `/paths/~1shipments~1{id}/get`. */
  pointer: string;
  operation: JsonObject;
}

/** Where a concrete request lands in the document. */
export interface FoundOperation {
  kind: 'found' | 'ambiguous';
  operation: OperationInfo;
  pathTemplate: string;
  /** Path parameter values, percent-decoded: `{ id: '42' }`. */
  params: Record<string, string>;
  /** Document pointer of the operation (same as `operation.pointer`). */
  pointer: string;
  /** The server base path that matched (`''` or `/v1`). */
  basePath: string;
  /** For `ambiguous`: the other templates matching as specifically as the one chosen (first in document order wins). */
  candidates: OperationInfo[];
}

export interface OperationNotFound {
  kind: 'not-found';
  /** `path`: no template matches; `method`: templates match but none documents this method. */
  reason: 'path' | 'method';
  allowedMethods: string[];
  message: string;
}

export type OperationLookup = FoundOperation | OperationNotFound;

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

interface ResolvedParameter {
  name: string;
  in: ParameterLocation;
  required: boolean;
  style: string;
  explode: boolean;
  /** Pointer of the parameter object. */
  pointer: string;
  schemaPointer?: string;
  /** For `content`-style parameters: the media type entry. */
  media?: { type: string; pointer: string };
  shape: ShapeInfo;
}

interface MediaPlan {
  /** The documented media type key that matched. */
  key: string;
  mode: 'json' | 'form' | 'text' | 'skip';
  schemaPointer?: string;
  schema?: unknown;
  /** Compiled on first use. */
  compiled?: CompiledSchema;
  compiledPartial?: CompiledSchema;
}

interface BodyPlan {
  documented?: { value: JsonObject; pointer: string };
  content: JsonObject;
  contentPointer: string;
  types: string[];
  /** Media plans by the message's content type (`null`: not documented). */
  media: Map<string, MediaPlan | null>;
}

interface HeaderPlan {
  name: string;
  lower: string;
  required: boolean;
  pointer: string;
  explode: boolean;
  schemaPointer?: string;
  shape?: ShapeInfo;
}

interface ResponsePlan extends BodyPlan {
  /** The `responses` key that applies (`200`, `2XX`, `default`), if any. */
  key?: string;
  responsesPointer: string;
  documentedStatuses: string[];
  headers: HeaderPlan[];
}

const NO_HEADERS: ReadonlyMap<string, string[]> = new Map();
const REQUEST_BODY: ViolationContext = { code: 'request.body.invalid', on: 'request', subject: 'request body' };
const RESPONSE_BODY: ViolationContext = {
  code: 'response.body.incompatible',
  on: 'response',
  subject: 'response body',
};

const DEFAULT_STYLE: Record<ParameterLocation, string> = {
  path: 'simple',
  query: 'form',
  header: 'simple',
  cookie: 'form',
};
const IGNORED_HEADER_PARAMETERS = new Set(['accept', 'content-type', 'authorization']);

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
  private readonly router = new Router<OperationInfo>();
  private readonly compiler: SchemaCompiler;
  private readonly parameters = new Map<OperationInfo, ResolvedParameter[]>();
  private readonly responsePlans = new Map<OperationInfo, Map<number, ResponsePlan>>();
  private readonly requestPlans = new Map<OperationInfo, BodyPlan>();

  constructor(document: JsonObject, options: { source: string; basePath?: string }) {
    this.document = document;
    this.source = options.source;
    this.openapi = String(document.openapi);
    this.version = this.openapi.startsWith('3.1') ? '3.1' : '3.0';
    this.compiler = new SchemaCompiler(document, this.version);
    const override = options.basePath === undefined ? undefined : [serverBasePath(options.basePath)];
    const topBases = override ?? basesOf(document.servers);
    const operations: OperationInfo[] = [];
    const paths = isObject(document.paths) ? document.paths : {};
    for (const [template, rawItem] of Object.entries(paths)) {
      const item = this.resolve(rawItem, appendPointer('/paths', template));
      if (!item) continue;
      const itemBases = override ?? (Array.isArray(item.value.servers) ? basesOf(item.value.servers) : topBases);
      for (const method of HTTP_METHODS) {
        const operation = item.value[method];
        if (!isObject(operation)) continue;
        const info: OperationInfo = {
          method: method.toUpperCase(),
          pathTemplate: template,
          pointer: appendPointer(item.pointer, method),
          operation,
          ...(typeof operation.operationId === 'string' ? { operationId: operation.operationId } : {}),
        };
        const bases = override ?? (Array.isArray(operation.servers) ? basesOf(operation.servers) : itemBases);
        this.router.add(template, bases, method, info);
        operations.push(info);
      }
    }
    this.operations = operations;
  }

  /**
   * Document-level `operation.ambiguous` warnings: templates with the same shape and method
   * (`/pets/{id}` and `/pets/{name}`), which no request can tell apart.
   */
  ambiguousTemplates(): SchemaViolation[] {
    return this.router.ambiguities().map(({ method, templates }) => ({
      code: 'operation.ambiguous',
      severity: 'warning' as const,
      on: 'request' as const,
      instancePath: 'path',
      schemaPath: formatPointer(appendPointer('/paths', templates[0]!)),
      rule: 'path',
      message: `${method} ${templates.join(' and ')} match the same requests; ${templates[0]} (first in the document) is used`,
    }));
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
    const path = concretePath.split('?')[0] || '/';
    const result = this.router.lookup(method, path);
    if (result.kind === 'no-path') {
      return {
        kind: 'not-found',
        reason: 'path',
        allowedMethods: [],
        message: `no path in the document matches ${method.toUpperCase()} ${path}`,
      };
    }
    if (result.kind === 'no-method') {
      return {
        kind: 'not-found',
        reason: 'method',
        allowedMethods: result.allowed,
        message: `${result.templates.join(', ')} does not document ${method.toUpperCase()} (documented: ${result.allowed.join(', ')})`,
      };
    }
    const chosen = result.value;
    const candidates = result.ambiguousWith.map((e) => e.methods.get(method.toUpperCase())!);
    return {
      kind: candidates.length > 0 ? 'ambiguous' : 'found',
      operation: chosen,
      pathTemplate: chosen.pathTemplate,
      params: result.params,
      pointer: chosen.pointer,
      basePath: result.basePath,
      candidates,
    };
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
    for (const p of this.parametersOf(lookup.operation)) {
      violations.push(...this.checkParameter(p, lookup.params, query, headers, cookies, consumed));
    }
    violations.push(...this.checkRequestBody(lookup.operation, request, headers));
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
    const plan = this.responsePlan(op, response.status);
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
    if (plan.headers.length > 0) violations.push(...this.checkResponseHeaders(plan, headers, options));
    if (hasBody(response.body)) {
      const label = `${op.method} ${op.pathTemplate} ${plan.key}`;
      violations.push(...this.checkResponseBody(plan, response, headers, label, options.partialBody === true));
    }
    return violations;
  }

  /** What the document says about one status of one operation; computed once per (operation, status). */
  private responsePlan(op: OperationInfo, status: number): ResponsePlan {
    let byStatus = this.responsePlans.get(op);
    if (!byStatus) this.responsePlans.set(op, (byStatus = new Map()));
    let plan = byStatus.get(status);
    if (plan) return plan;
    const responses = isObject(op.operation.responses) ? op.operation.responses : {};
    const key = statusKey(responses, status);
    const responsesPointer = appendPointer(op.pointer, 'responses');
    const documented =
      key === undefined ? undefined : this.resolve(responses[key], appendPointer(responsesPointer, key));
    const content = documented && isObject(documented.value.content) ? documented.value.content : {};
    const headers: HeaderPlan[] = [];
    if (documented && isObject(documented.value.headers)) {
      for (const [name, raw] of Object.entries(documented.value.headers)) {
        if (name.toLowerCase() === 'content-type') continue;
        const header = this.resolve(raw, appendPointer(documented.pointer, 'headers', name));
        if (!header) continue;
        headers.push({
          name,
          lower: name.toLowerCase(),
          required: header.value.required === true,
          pointer: header.pointer,
          explode: header.value.explode === true,
          ...(header.value.schema === undefined
            ? {}
            : {
                schemaPointer: appendPointer(header.pointer, 'schema'),
                shape: shapeOf(header.value.schema, (sch) => this.compiler.resolve(sch)),
              }),
        });
      }
    }
    plan = {
      ...(key === undefined ? {} : { key }),
      responsesPointer,
      documentedStatuses: Object.keys(responses),
      ...(documented ? { documented } : {}),
      content,
      contentPointer: documented ? appendPointer(documented.pointer, 'content') : '',
      types: Object.keys(content),
      headers,
      media: new Map(),
    };
    byStatus.set(status, plan);
    return plan;
  }

  /** The documented media type for a content type, with where its schema lives and how to read the body; cached. */
  private mediaPlan(
    owner: { content: JsonObject; contentPointer: string; types: string[]; media: Map<string, MediaPlan | null> },
    contentType: string,
  ): MediaPlan | undefined {
    let plan = owner.media.get(contentType);
    if (plan !== undefined) return plan ?? undefined;
    const key = matchMediaType(contentType, owner.types);
    if (key === undefined) {
      owner.media.set(contentType, null);
      return undefined;
    }
    const media = this.resolve(owner.content[key], appendPointer(owner.contentPointer, key));
    const json = isJsonMediaType(contentType) || isJsonMediaType(key);
    plan = {
      key,
      mode: json ? 'json' : isFormMediaType(key) ? 'form' : isTextMediaType(key) ? 'text' : 'skip',
      ...(media && media.value.schema !== undefined
        ? { schemaPointer: appendPointer(media.pointer, 'schema'), schema: media.value.schema }
        : {}),
    };
    owner.media.set(contentType, plan);
    return plan;
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
    const plan = this.responsePlan(lookup.operation, response.status);
    if (!plan.documented) return [];
    const headers = response.headers === undefined ? NO_HEADERS : lowerHeaders(response.headers);
    const contentType =
      response.contentType ?? headers.get('content-type')?.[0] ?? guessContentType(response.body, plan.types);
    const media = contentType === undefined ? undefined : this.mediaPlan(plan, contentType);
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

  private checkResponseHeaders(
    plan: ResponsePlan,
    headers: ReadonlyMap<string, string[]>,
    options: ValidateResponseOptions,
  ): SchemaViolation[] {
    const violations: SchemaViolation[] = [];
    for (const header of plan.headers) {
      const values = headers.get(header.lower);
      if (values === undefined) {
        if (header.required && options.requireDocumentedHeaders !== false) {
          violations.push({
            code: 'response.header.missing',
            severity: 'error',
            on: 'response',
            instancePath: `header/${header.name}`,
            schemaPath: formatPointer(appendPointer(header.pointer, 'required')),
            rule: 'required',
            message: `response header "${header.name}" is required but missing`,
          });
        }
        continue;
      }
      if (header.schemaPointer === undefined || header.shape === undefined) continue;
      const value = readStyled(values.join(','), ',', header.explode, header.shape);
      violations.push(
        ...this.compiler.get('response', header.schemaPointer).violations(value, {
          code: 'response.header.invalid',
          on: 'response',
          instancePrefix: `header/${header.name}`,
          subject: `response header "${header.name}"`,
        }),
      );
    }
    return violations;
  }

  private checkResponseBody(
    plan: ResponsePlan,
    response: ResponseToValidate,
    headers: ReadonlyMap<string, string[]>,
    label: string,
    partial: boolean,
  ): SchemaViolation[] {
    const contentType =
      response.contentType ?? headers.get('content-type')?.[0] ?? guessContentType(response.body, plan.types);
    const media = contentType === undefined ? undefined : this.mediaPlan(plan, contentType);
    if (media === undefined) {
      return [
        {
          code: 'response.content-type.undocumented',
          severity: 'error',
          on: 'response',
          instancePath: 'header/content-type',
          schemaPath: formatPointer(plan.contentPointer),
          rule: 'content',
          message:
            plan.types.length === 0
              ? `${label} documents no response body, but the response has one${contentType ? ` (${contentType})` : ''}`
              : `content type ${contentType ?? '(none)'} is not documented for ${label} (documented: ${plan.types.join(', ')})`,
        },
      ];
    }
    return this.checkBody(partial ? 'response-partial' : 'response', response.body, media, RESPONSE_BODY);
  }

  private checkRequestBody(
    op: OperationInfo,
    request: RequestToValidate,
    headers: ReadonlyMap<string, string[]>,
  ): SchemaViolation[] {
    const plan = this.requestBodyPlan(op);
    const present = hasBody(request.body);
    const base = { severity: 'error' as const, on: 'request' as const, instancePath: '' };
    if (!plan.documented) {
      return present
        ? [
            {
              ...base,
              code: 'request.body.undocumented',
              schemaPath: formatPointer(op.pointer),
              rule: 'requestBody',
              message: `${op.method} ${op.pathTemplate} documents no request body, but the request has one`,
            },
          ]
        : [];
    }
    if (!present) {
      return plan.documented.value.required === true
        ? [
            {
              ...base,
              code: 'request.body.missing',
              schemaPath: formatPointer(appendPointer(plan.documented.pointer, 'required')),
              rule: 'required',
              message: `${op.method} ${op.pathTemplate} requires a request body, but the request has none`,
            },
          ]
        : [];
    }
    const contentType =
      request.contentType ?? headers.get('content-type')?.[0] ?? guessContentType(request.body, plan.types);
    const media = contentType === undefined ? undefined : this.mediaPlan(plan, contentType);
    if (media === undefined) {
      return [
        {
          ...base,
          code: 'request.content-type.undocumented',
          instancePath: 'header/content-type',
          schemaPath: formatPointer(plan.contentPointer),
          rule: 'content',
          message: `content type ${contentType ?? '(none)'} is not documented for the request body of ${op.method} ${op.pathTemplate} (documented: ${plan.types.join(', ') || 'none'})`,
        },
      ];
    }
    return this.checkBody('request', request.body, media, REQUEST_BODY);
  }

  private requestBodyPlan(op: OperationInfo): BodyPlan {
    let plan = this.requestPlans.get(op);
    if (plan) return plan;
    const documented =
      op.operation.requestBody === undefined
        ? undefined
        : this.resolve(op.operation.requestBody, appendPointer(op.pointer, 'requestBody'));
    const content = documented && isObject(documented.value.content) ? documented.value.content : {};
    plan = {
      ...(documented ? { documented } : {}),
      content,
      contentPointer: documented ? appendPointer(documented.pointer, 'content') : '',
      types: Object.keys(content),
      media: new Map(),
    };
    this.requestPlans.set(op, plan);
    return plan;
  }

  private checkBody(
    direction: Direction,
    body: unknown,
    media: MediaPlan,
    context: ViolationContext,
  ): SchemaViolation[] {
    if (media.schemaPointer === undefined) return [];
    // A Buffer is the raw body; a string is already the value (for JSON media, a JSON string).
    let value: unknown = body;
    if (media.mode === 'json') {
      if (Buffer.isBuffer(body)) {
        try {
          value = JSON.parse(body.toString('utf8'));
        } catch (error) {
          return [
            {
              code: context.code,
              severity: 'error',
              on: context.on,
              instancePath: '',
              schemaPath: formatPointer(media.schemaPointer),
              rule: 'json',
              message: `${context.subject} is not valid JSON: ${(error as Error).message}`,
            },
          ];
        }
      }
    } else if (media.mode === 'form') {
      if (Buffer.isBuffer(value)) value = value.toString('utf8');
      if (typeof value === 'string') value = this.readForm(value, media.schema);
    } else if (Buffer.isBuffer(value) && media.mode === 'text') {
      value = value.toString('utf8');
    }
    if (media.mode === 'skip' || (media.mode === 'text' && typeof value !== 'string')) {
      // Binary, multipart and XML bodies are not schema-checked.
      return [];
    }
    // A media plan belongs to one message side; the partial variant of a response has its own validator.
    const compiled =
      direction === 'response-partial'
        ? (media.compiledPartial ??= this.compiler.get(direction, media.schemaPointer))
        : (media.compiled ??= this.compiler.get(direction, media.schemaPointer));
    return compiled.violations(value, context);
  }

  private readForm(text: string, schema: unknown): JsonObject {
    const shape = shapeOf(schema, (s) => this.compiler.resolve(s));
    const grouped: Record<string, string[]> = {};
    for (const [k, v] of new URLSearchParams(text)) (grouped[k] ??= []).push(v);
    const out: JsonObject = {};
    for (const [k, values] of Object.entries(grouped)) {
      const prop = shape.properties?.get(k);
      out[k] =
        prop?.kind === 'array' ? values.map((v) => readPrimitive(v, prop.items)) : readPrimitive(values[0] ?? '', prop);
    }
    return out;
  }

  private checkParameter(
    p: ResolvedParameter,
    pathParams: Record<string, string>,
    query: Record<string, string[]>,
    headers: ReadonlyMap<string, string[]>,
    cookies: Record<string, string>,
    consumed: Set<string>,
  ): SchemaViolation[] {
    let raw: string | undefined;
    let value: unknown;
    switch (p.in) {
      case 'path':
        raw = pathParams[p.name];
        value = raw === undefined ? undefined : p.media ? raw : readPathValue(p.name, raw, p.style, p.explode, p.shape);
        break;
      case 'query':
        raw = query[p.name]?.[0];
        value = p.media ? raw : readQueryValue(p.name, query, p.style, p.explode, p.shape, consumed);
        break;
      case 'header': {
        if (IGNORED_HEADER_PARAMETERS.has(p.name.toLowerCase())) return [];
        const values = headers.get(p.name.toLowerCase());
        raw = values?.join(',');
        value = raw === undefined ? undefined : p.media ? raw : readStyled(raw, ',', p.explode, p.shape);
        break;
      }
      case 'cookie':
        raw = cookies[p.name];
        value = raw === undefined ? undefined : p.media ? raw : readStyled(raw, ',', false, p.shape);
        break;
    }
    const instancePath = `${p.in}/${p.name}`;
    const subject = `${p.in} parameter "${p.name}"`;
    if (value === undefined) {
      return p.required
        ? [
            {
              code: 'request.parameter.missing',
              severity: 'error',
              on: 'request',
              instancePath,
              schemaPath: formatPointer(appendPointer(p.pointer, 'required')),
              rule: 'required',
              message: `${subject} is required but missing`,
            },
          ]
        : [];
    }
    if (p.media) {
      if (isJsonMediaType(p.media.type) && typeof value === 'string') {
        try {
          value = JSON.parse(value);
        } catch {
          return [
            {
              code: 'request.parameter.invalid',
              severity: 'error',
              on: 'request',
              instancePath,
              schemaPath: formatPointer(p.media.pointer),
              rule: 'json',
              message: `${subject} is not valid JSON`,
            },
          ];
        }
      }
      const media = getAtPointer(this.document, p.media.pointer);
      if (!isObject(media) || media.schema === undefined) return [];
      return this.compiler
        .get('request', appendPointer(p.media.pointer, 'schema'))
        .violations(value, { code: 'request.parameter.invalid', on: 'request', instancePrefix: instancePath, subject });
    }
    if (p.schemaPointer === undefined) return [];
    return this.compiler
      .get('request', p.schemaPointer)
      .violations(value, { code: 'request.parameter.invalid', on: 'request', instancePrefix: instancePath, subject });
  }

  private parametersOf(op: OperationInfo): ResolvedParameter[] {
    let cached = this.parameters.get(op);
    if (cached) return cached;
    const itemPointer = op.pointer.slice(0, op.pointer.lastIndexOf('/'));
    const item = getAtPointer(this.document, itemPointer);
    const byKey = new Map<string, ResolvedParameter>();
    const lists: [unknown, string][] = [
      [isObject(item) ? item.parameters : undefined, appendPointer(itemPointer, 'parameters')],
      [op.operation.parameters, appendPointer(op.pointer, 'parameters')],
    ];
    for (const [list, listPointer] of lists) {
      if (!Array.isArray(list)) continue;
      list.forEach((raw, i) => {
        const found = this.resolve(raw, appendPointer(listPointer, i));
        if (!found || typeof found.value.name !== 'string') return;
        const p = found.value;
        const location = p.in as ParameterLocation;
        if (!['path', 'query', 'header', 'cookie'].includes(location)) return;
        const style = typeof p.style === 'string' ? p.style : DEFAULT_STYLE[location];
        const content = isObject(p.content) ? Object.keys(p.content)[0] : undefined;
        const resolved: ResolvedParameter = {
          name: p.name as string,
          in: location,
          required: p.required === true || location === 'path',
          style,
          explode: typeof p.explode === 'boolean' ? p.explode : style === 'form',
          pointer: found.pointer,
          shape: shapeOf(p.schema, (s) => this.compiler.resolve(s)),
          ...(p.schema !== undefined ? { schemaPointer: appendPointer(found.pointer, 'schema') } : {}),
          ...(content !== undefined
            ? { media: { type: content, pointer: appendPointer(found.pointer, 'content', content) } }
            : {}),
        };
        // Operation-level parameters override path-level ones with the same name and location.
        byKey.set(`${location} ${location === 'header' ? resolved.name.toLowerCase() : resolved.name}`, resolved);
      });
    }
    cached = [...byKey.values()];
    this.parameters.set(op, cached);
    return cached;
  }

  /** Follows a `$ref` chain; returns the object and the pointer where it really lives. */
  private resolve(value: unknown, pointer: string): { value: JsonObject; pointer: string } | undefined {
    let current = value;
    let at = pointer;
    for (let hops = 0; isObject(current) && typeof current.$ref === 'string' && hops < 20; hops++) {
      const target = refToPointer(current.$ref);
      if (target === undefined) return undefined;
      at = target;
      current = getAtPointer(this.document, target);
    }
    return isObject(current) ? { value: current, pointer: at } : undefined;
  }
}

function basesOf(servers: unknown): BasePath[] {
  if (!Array.isArray(servers) || servers.length === 0) return [serverBasePath('/')];
  const bases = servers
    .filter((s): s is JsonObject => isObject(s) && typeof s.url === 'string')
    .map((s) => serverBasePath(s.url as string, isObject(s.variables) ? (s.variables as never) : {}));
  return bases.length > 0 ? bases : [serverBasePath('/')];
}

/** Exact status, then its `2XX`-style range, then `default`. */
function statusKey(responses: JsonObject, status: number): string | undefined {
  const text = String(status);
  if (text in responses) return text;
  const range = Object.keys(responses).find((k) => k.toUpperCase() === `${text[0]}XX`);
  return range ?? ('default' in responses ? 'default' : undefined);
}

function hasBody(body: unknown): boolean {
  if (body === undefined) return false;
  if (typeof body === 'string') return body.length > 0;
  if (Buffer.isBuffer(body)) return body.length > 0;
  return true;
}

function guessContentType(body: unknown, documented: string[]): string | undefined {
  if (documented.length === 1) return documented[0];
  if (typeof body !== 'string' && !Buffer.isBuffer(body)) return documented.find(isJsonMediaType) ?? 'application/json';
  return undefined;
}

function splitQuery(path: string): [string, string] {
  const q = path.indexOf('?');
  return q < 0 ? [path, ''] : [path.slice(0, q), path.slice(q + 1)];
}

function mergeQuery(
  queryString: string,
  query: Record<string, string | string[]> | undefined,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (queryString) for (const [k, v] of new URLSearchParams(queryString)) (out[k] ??= []).push(v);
  for (const [k, v] of Object.entries(query ?? {})) (out[k] ??= []).push(...(Array.isArray(v) ? v : [v]));
  return out;
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

function unknownOperation(lookup: OperationNotFound, on: 'request' | 'response'): SchemaViolation {
  return {
    code: 'request.path-or-method.unknown',
    severity: 'error',
    on,
    instancePath: lookup.reason === 'path' ? 'path' : 'method',
    schemaPath: formatPointer('/paths'),
    rule: lookup.reason,
    message: lookup.message,
  };
}

function ambiguity(lookup: FoundOperation, on: 'request' | 'response'): SchemaViolation {
  return {
    code: 'operation.ambiguous',
    severity: 'warning',
    on,
    instancePath: 'path',
    schemaPath: formatPointer(lookup.pointer),
    rule: 'path',
    message: `the path matches ${[lookup.pathTemplate, ...lookup.candidates.map((c) => c.pathTemplate)].join(' and ')} equally; validated against ${lookup.pathTemplate} (first in the document)`,
  };
}
