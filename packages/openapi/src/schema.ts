/**
 * Turns OpenAPI schema objects into JSON Schema that ajv understands, per direction, and compiles
 * them lazily with a cache. 3.0 semantics (nullable, boolean exclusiveMinimum/Maximum) are
 * translated; 3.1 is JSON Schema 2020-12 already. Both get discriminator dispatch and
 * readOnly/writeOnly by direction.
 *
 * Translated schemas live in a per-direction skeleton document at the same JSON pointers as in the
 * original document, so local `$ref`s keep working; every translated object remembers the pointer
 * of the original schema it came from, which is how a violation names its place in the document.
 */
import { Ajv, type ErrorObject, type Options as AjvOptions, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsImport from 'ajv-formats';
import {
  appendPointer,
  compileSchemaPattern,
  escapePointerToken,
  formatPointer,
  getAtPointer,
  isObject,
  type JsonObject,
  OpenApiError,
  refToPointer,
  RegexIssue,
  RegexUnsupportedError,
  type SchemaViolation,
  splitPointer,
} from '@cutover/core';
import { isDateTime } from './formats.js';
import { describeValue, previewValues } from './util.js';

/**
 * `response-partial` is a response as a pact shows it: only the fields the consumer relies on, so
 * `required` is not enforced (the provider's real response carries the rest).
 */
export type Direction = 'request' | 'response' | 'response-partial';

const FORBIDDEN = 'x-cutover-forbidden';

const SUBSCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];
const SUBSCHEMA_ONE = [
  'additionalProperties',
  'additionalItems',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
  'unevaluatedProperties',
  'unevaluatedItems',
  'contentSchema',
];
const SUBSCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
/** OpenAPI-only keywords that are annotations for validation purposes. */
const OPENAPI_ANNOTATIONS = ['discriminator', 'example', 'xml', 'externalDocs'];

// ajv-formats is CommonJS with a default export.
const addFormats = ((addFormatsImport as unknown as { default?: unknown }).default ?? addFormatsImport) as (
  ajv: Ajv,
) => Ajv;

interface Skeleton {
  root: JsonObject;
  /** Pointers of original schemas already translated into the skeleton. */
  done: Set<string>;
}

/**
 * ajv's regex engine: JSON Schema `pattern`s and `patternProperties` on the linear-time engine. A
 * pattern it cannot run (lookaround, backreferences) fails the schema's compilation with a coded
 * error naming the pattern and the construct.
 */
const schemaRegExp = Object.assign(
  (pattern: string): { test(value: string): boolean; toString(): string } => {
    try {
      const compiled = compileSchemaPattern(pattern);
      // ajv keys its cache of patterns by toString().
      return { test: (value) => compiled.test(value), toString: () => `/${pattern}/` };
    } catch (issue) {
      if (!(issue instanceof RegexIssue)) throw issue;
      if (issue.kind === 'invalid')
        throw new OpenApiError(`invalid pattern ${JSON.stringify(pattern)}: ${issue.reason}`, {
          cause: issue,
          details: { pattern },
        });
      throw new RegexUnsupportedError(
        `the pattern ${JSON.stringify(pattern)} uses ${issue.reason}, which cutover's linear-time regex engine does not run`,
        { cause: issue, details: { pattern, construct: issue.construct } },
      );
    }
  },
  { code: 'cutoverSchemaRegExp' },
);

/** A compiled validator for one schema of the document, in one direction. */
export interface CompiledSchema {
  /** The document pointer of the schema (without `#`). */
  pointer: string;
  /** True when `data` is valid. Never modifies `data`. */
  test(data: unknown): boolean;
  /** Violations of `data`; `instancePrefix` is prepended to each instance path. */
  violations(data: unknown, context: ViolationContext): SchemaViolation[];
}

export interface ViolationContext {
  code: string;
  on: 'request' | 'response';
  severity?: 'error' | 'warning';
  /** Prefix of instance paths, e.g. `query/limit` for a parameter; `''` for bodies. */
  instancePrefix?: string;
  /** Subject used in messages (`response body`, `query parameter "limit"`). */
  subject: string;
}

export class SchemaCompiler {
  private readonly ajv: Ajv;
  private readonly origin = new WeakMap<object, string>();
  private readonly synthetic = new WeakSet<object>();
  private readonly skeletons: Record<Direction, Skeleton>;
  private readonly cache = new Map<string, CompiledSchema>();

  constructor(
    private readonly document: JsonObject,
    private readonly version: '3.0' | '3.1',
  ) {
    const options: AjvOptions = {
      allErrors: true,
      strict: false,
      verbose: true,
      validateSchema: false,
      logger: false,
      // OpenAPI patterns are ECMA-262 without the `u` flag; many real documents escape like `[\w\-]`.
      unicodeRegExp: false,
      // A pattern is untrusted input: it runs on the linear-time engine, never on V8's backtracking one.
      code: { regExp: schemaRegExp },
      // Never touch the caller's data: the payload is diffed after validation.
      useDefaults: false,
      coerceTypes: false,
      removeAdditional: false,
      // A referenced schema becomes one function every schema referring to it calls, instead of
      // code generated again inside each: about a tenth less compiling for `openapi check` (which
      // compiles a schema per documented response it meets), validation as fast (`bench/openapi`).
      inlineRefs: false,
    };
    this.ajv = version === '3.1' ? (new Ajv2020(options) as unknown as Ajv) : new Ajv(options);
    addFormats(this.ajv);
    this.ajv.addFormat('date-time', { type: 'string', validate: isDateTime });
    this.ajv.addKeyword({ keyword: FORBIDDEN, schemaType: 'string', errors: true, validate: () => false });
    this.skeletons = {
      request: { root: {}, done: new Set() },
      response: { root: {}, done: new Set() },
      'response-partial': { root: {}, done: new Set() },
    };
    for (const [direction, skeleton] of Object.entries(this.skeletons))
      this.ajv.addSchema(skeleton.root, `cutover:${direction}`);
  }

  /** The validator for the schema at `pointer` (e.g. `/paths/~1a/get/responses/200/content/application~1json/schema`). */
  get(direction: Direction, pointer: string): CompiledSchema {
    const key = direction + ' ' + pointer;
    let compiled = this.cache.get(key);
    if (!compiled) {
      compiled = this.compile(direction, pointer);
      this.cache.set(key, compiled);
    }
    return compiled;
  }

  /** Number of schemas compiled so far (lazy compilation is observable in tests and benchmarks). */
  get compiledCount(): number {
    return this.cache.size;
  }

  private compile(direction: Direction, pointer: string): CompiledSchema {
    let validate: ValidateFunction;
    try {
      this.ensure(direction, pointer);
      const ref =
        `cutover:${direction}#` +
        splitPointer(pointer)
          .map((t) => '/' + encodeURIComponent(escapePointerToken(t)))
          .join('');
      validate = this.ajv.compile({ $ref: ref });
    } catch (error) {
      if (error instanceof OpenApiError) throw error;
      if (error instanceof RegexUnsupportedError) {
        throw new RegexUnsupportedError(`cannot compile the schema at ${formatPointer(pointer)}: ${error.message}`, {
          cause: error,
          details: { ...error.details, pointer },
        });
      }
      throw new OpenApiError(`cannot compile the schema at ${formatPointer(pointer)}: ${(error as Error).message}`, {
        cause: error,
        details: { pointer },
      });
    }
    return {
      pointer,
      test: (data) => validate(data) === true,
      violations: (data, context) =>
        validate(data) === true ? [] : this.toViolations(validate.errors ?? [], data, context),
    };
  }

  /** Translates the schema at `pointer` and everything it references into the direction's skeleton. */
  private ensure(direction: Direction, pointer: string): void {
    const skeleton = this.skeletons[direction];
    const queue = [pointer];
    while (queue.length > 0) {
      const next = queue.pop()!;
      if (this.covered(skeleton, next)) continue;
      const original = getAtPointer(this.document, next);
      if (original === undefined) {
        throw new OpenApiError(`the document has no schema at ${formatPointer(next)} (a $ref points to nothing)`, {
          details: { pointer: next },
        });
      }
      const translated = this.translate(original, next, direction, (target) => queue.push(target));
      install(skeleton.root, next, translated);
      skeleton.done.add(next);
    }
  }

  private covered(skeleton: Skeleton, pointer: string): boolean {
    let prefix = pointer;
    for (;;) {
      if (skeleton.done.has(prefix)) return true;
      const cut = prefix.lastIndexOf('/');
      if (cut < 0) return false;
      prefix = prefix.slice(0, cut);
    }
  }

  private translate(schema: unknown, pointer: string, direction: Direction, onRef: (pointer: string) => void): unknown {
    if (!isObject(schema)) return schema;
    const out: JsonObject = {};
    this.origin.set(out, pointer);
    for (const [key, value] of Object.entries(schema)) {
      if (SUBSCHEMA_MAPS.includes(key) && isObject(value)) {
        const mapped: JsonObject = {};
        for (const [name, sub] of Object.entries(value)) {
          mapped[name] = this.translate(sub, appendPointer(pointer, key, name), direction, onRef);
        }
        out[key] = mapped;
      } else if (SUBSCHEMA_ONE.includes(key)) {
        out[key] = this.translate(value, appendPointer(pointer, key), direction, onRef);
      } else if ((SUBSCHEMA_LISTS.includes(key) || key === 'items') && Array.isArray(value)) {
        out[key] = value.map((sub, i) => this.translate(sub, appendPointer(pointer, key, i), direction, onRef));
      } else if (key === 'items') {
        out[key] = this.translate(value, appendPointer(pointer, key), direction, onRef);
      } else if (key === '$ref' && typeof value === 'string') {
        const target = refToPointer(value);
        if (target === undefined) {
          throw new OpenApiError(
            `unsupported $ref "${value}" at ${formatPointer(pointer)}: only local references are supported after bundling`,
            {
              details: { pointer },
            },
          );
        }
        out.$ref = value;
        onRef(target);
      } else if (OPENAPI_ANNOTATIONS.includes(key) || key === 'nullable') {
        // 3.0: translated below. 3.1 (JSON Schema 2020-12): `nullable` is an unknown annotation with
        // no effect on validity, but ajv reads `schema.nullable` in its type check whatever the
        // vocabulary (removeKeyword does not switch that off), so it must not reach ajv at all.
        continue;
      } else if (key === 'required' && direction === 'response-partial') {
        continue;
      } else {
        out[key] = value;
      }
    }
    if (this.version === '3.0') exclusiveBounds(out);
    this.applyDirection(schema, out, pointer, direction);
    this.applyDiscriminator(schema, out, pointer, direction, onRef);
    if (this.version === '3.0' && schema.nullable === true) return this.nullable(out, pointer);
    return out;
  }

  /** readOnly properties must not be sent in requests, writeOnly ones not in responses; neither is required there. */
  private applyDirection(schema: JsonObject, out: JsonObject, pointer: string, direction: Direction): void {
    const flag = direction === 'request' ? 'readOnly' : 'writeOnly';
    const flagged = new Set<string>();
    this.collectFlagged(schema, flag, flagged, 0);
    if (flagged.size === 0) return;
    if (Array.isArray(out.required)) out.required = out.required.filter((name) => !flagged.has(String(name)));
    const properties = out.properties;
    if (!isObject(properties) || !isObject(schema.properties)) return;
    for (const name of Object.keys(properties)) {
      if (!this.hasFlag(schema.properties[name], flag, 0)) continue;
      const marker = { [FORBIDDEN]: flag };
      this.origin.set(marker, appendPointer(pointer, 'properties', name));
      properties[name] = marker;
    }
  }

  private collectFlagged(schema: unknown, flag: string, into: Set<string>, depth: number): void {
    const resolved = this.resolve(schema, depth);
    if (!resolved || depth > 8) return;
    if (isObject(resolved.properties)) {
      for (const [name, sub] of Object.entries(resolved.properties)) if (this.hasFlag(sub, flag, 0)) into.add(name);
    }
    if (Array.isArray(resolved.allOf))
      for (const sub of resolved.allOf) this.collectFlagged(sub, flag, into, depth + 1);
  }

  private hasFlag(schema: unknown, flag: string, depth: number): boolean {
    const resolved = this.resolve(schema, depth);
    if (!resolved || depth > 8) return false;
    if (resolved[flag] === true) return true;
    return Array.isArray(resolved.allOf) && resolved.allOf.some((sub) => this.hasFlag(sub, flag, depth + 1));
  }

  /** Follows `$ref` chains in the original document. */
  resolve(schema: unknown, depth = 0): JsonObject | undefined {
    let current = schema;
    for (let hops = depth; isObject(current) && typeof current.$ref === 'string' && hops < 20; hops++) {
      const target = refToPointer(current.$ref);
      if (target === undefined) return undefined;
      current = getAtPointer(this.document, target);
    }
    return isObject(current) ? current : undefined;
  }

  /**
   * `discriminator` + `oneOf`/`anyOf`: the discriminator property picks the one branch to validate
   * against (explicit `mapping`, else the referenced schema's name), so a bad payload gets the
   * errors of its own branch rather than of every branch.
   */
  private applyDiscriminator(
    schema: JsonObject,
    out: JsonObject,
    pointer: string,
    direction: Direction,
    onRef: (pointer: string) => void,
  ): void {
    const discriminator = schema.discriminator;
    if (!isObject(discriminator) || typeof discriminator.propertyName !== 'string') return;
    const listKey = Array.isArray(out.oneOf) ? 'oneOf' : Array.isArray(out.anyOf) ? 'anyOf' : undefined;
    if (!listKey) return;
    const property = discriminator.propertyName;
    const rawBranches = schema[listKey] as unknown[];
    const branches = out[listKey] as unknown[];
    const branchRef = (i: number): string | undefined => {
      const raw = rawBranches[i];
      return isObject(raw) && typeof raw.$ref === 'string' ? raw.$ref : undefined;
    };
    const lastToken = (ref: string): string => splitPointer(refToPointer(ref) ?? ref).pop() ?? ref;
    const dispatch = new Map<string, unknown>();
    const mapping = isObject(discriminator.mapping) ? discriminator.mapping : {};
    for (const [value, target] of Object.entries(mapping)) {
      if (typeof target !== 'string') continue;
      const ref = target.startsWith('#') || target.includes('/') ? target : `#/components/schemas/${target}`;
      const index = rawBranches.findIndex(
        (_, i) => branchRef(i) === ref || lastToken(branchRef(i) ?? '\0') === lastToken(ref),
      );
      if (index >= 0) dispatch.set(value, branches[index]);
      else if (ref.startsWith('#')) {
        dispatch.set(value, { $ref: ref });
        onRef(refToPointer(ref)!);
      }
    }
    const mappedRefs = new Set(Object.values(mapping).map((t) => lastToken(String(t))));
    rawBranches.forEach((_, i) => {
      const ref = branchRef(i);
      if (ref === undefined || mappedRefs.has(lastToken(ref))) return;
      dispatch.set(lastToken(ref), branches[i]);
    });
    if (dispatch.size === 0) return;
    const at = appendPointer(pointer, 'discriminator');
    const guardProperty = { enum: [...dispatch.keys()] };
    const guard =
      direction === 'response-partial'
        ? { properties: { [property]: guardProperty } }
        : { required: [property], properties: { [property]: guardProperty } };
    this.origin.set(guard, at);
    this.origin.set(guardProperty, appendPointer(at, 'propertyName'));
    const rules: unknown[] = [guard];
    for (const [value, branch] of dispatch) {
      const condition = { required: [property], properties: { [property]: { const: value } } };
      const rule = { if: condition, then: branch };
      this.synthetic.add(rule);
      this.synthetic.add(condition);
      this.origin.set(rule, at);
      rules.push(rule);
    }
    delete out[listKey];
    out.allOf = [...(Array.isArray(out.allOf) ? out.allOf : []), ...rules];
  }

  /** OpenAPI 3.0 `nullable: true`, also next to `enum`, `$ref` and `allOf`/`oneOf`/`anyOf`. */
  private nullable(out: JsonObject, pointer: string): unknown {
    const composite = ['$ref', 'allOf', 'anyOf', 'oneOf', 'not'].some((k) => k in out);
    if (!composite && typeof out.type === 'string') {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
      return out;
    }
    if (!composite && out.type === undefined) {
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
      return out;
    }
    const nullBranch = { type: 'null' };
    const wrapper = { anyOf: [nullBranch, out] };
    this.synthetic.add(nullBranch);
    this.synthetic.add(wrapper);
    this.origin.set(wrapper, pointer);
    return wrapper;
  }

  private toViolations(errors: ErrorObject[], data: unknown, context: ViolationContext): SchemaViolation[] {
    const violations: SchemaViolation[] = [];
    const seen = new Set<string>();
    for (const error of errors) {
      const parent = error.parentSchema;
      if (parent && this.synthetic.has(parent)) continue;
      // `if` reports "must match then schema" on top of the branch's own errors.
      if (error.keyword === 'if') continue;
      const base = parent ? (this.origin.get(parent) ?? '') : '';
      const rule = error.keyword === FORBIDDEN ? String(error.schema) : error.keyword;
      const schemaPath = formatPointer(
        error.keyword === FORBIDDEN ? base + '/' + rule : appendPointer(base, error.keyword),
      );
      let instance = error.instancePath;
      const params = error.params as Record<string, unknown>;
      if (error.keyword === 'required' && typeof params.missingProperty === 'string') {
        instance = appendPointer(instance, params.missingProperty);
      } else if (error.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
        instance = appendPointer(instance, params.additionalProperty);
      } else if (error.keyword === 'unevaluatedProperties' && typeof params.unevaluatedProperty === 'string') {
        instance = appendPointer(instance, params.unevaluatedProperty);
      }
      const instancePath = joinInstance(context.instancePrefix ?? '', instance);
      const key = `${instancePath} ${schemaPath} ${rule}`;
      if (seen.has(key)) continue;
      seen.add(key);
      violations.push({
        code: context.code,
        severity: context.severity ?? 'error',
        on: context.on,
        instancePath,
        schemaPath,
        rule,
        message: sentence(error, rule, context, instance, getAtPointer(data, error.instancePath)),
      });
    }
    if (violations.length === 0 && errors.length > 0) {
      // Every error came from a synthetic wrapper: still a failure, never a silent pass.
      violations.push({
        code: context.code,
        severity: context.severity ?? 'error',
        on: context.on,
        instancePath: joinInstance(context.instancePrefix ?? '', ''),
        schemaPath: formatPointer(errors[0]?.parentSchema ? (this.origin.get(errors[0].parentSchema) ?? '') : ''),
        rule: errors[0]?.keyword ?? 'schema',
        message: `${context.subject} does not match the schema`,
      });
    }
    return violations;
  }
}

function joinInstance(prefix: string, pointer: string): string {
  if (prefix === '') return pointer === '' ? '' : pointer;
  return prefix + pointer;
}

function install(root: JsonObject, pointer: string, value: unknown): void {
  const tokens = splitPointer(pointer);
  if (tokens.length === 0) throw new OpenApiError('the whole document cannot be used as a schema');
  let node = root;
  for (const token of tokens.slice(0, -1)) {
    let next = node[token];
    if (!isObject(next)) node[token] = next = {};
    node = next as JsonObject;
  }
  node[tokens[tokens.length - 1]!] = value;
}

function exclusiveBounds(out: JsonObject): void {
  for (const [exclusive, bound] of [
    ['exclusiveMaximum', 'maximum'],
    ['exclusiveMinimum', 'minimum'],
  ] as const) {
    if (out[exclusive] === true && typeof out[bound] === 'number') {
      out[exclusive] = out[bound];
      delete out[bound];
    } else if (typeof out[exclusive] === 'boolean') {
      delete out[exclusive];
    }
  }
}

function sentence(
  error: ErrorObject,
  rule: string,
  context: ViolationContext,
  instance: string,
  value: unknown,
): string {
  const where = instance === '' ? context.subject : `${context.subject} at ${instance}`;
  const params = error.params as Record<string, unknown>;
  switch (rule) {
    case 'readOnly':
      return `${where} is readOnly and must not be sent in a request`;
    case 'writeOnly':
      return `${where} is writeOnly and must not appear in a response`;
    case 'required':
      return `${where} is required but missing`;
    case 'additionalProperties':
    case 'unevaluatedProperties':
      return `${where} is not allowed by the schema (${rule} is false)`;
    case 'type':
      return `${where} must be ${String(params.type).replace(/,/g, ' or ')}, found ${describeValue(value)}`;
    case 'enum':
      return `${where} must be one of ${previewValues(params.allowedValues as unknown[])}, found ${describeValue(value)}`;
    case 'const':
      return `${where} must be ${previewValues([params.allowedValue])}, found ${describeValue(value)}`;
    case 'format':
      return `${where} must be a valid ${String(params.format)}, found ${describeValue(value)}`;
    default:
      return `${where} ${error.message ?? `breaks "${rule}"`}${isObject(value) || Array.isArray(value) ? '' : `, found ${describeValue(value)}`}`;
  }
}
