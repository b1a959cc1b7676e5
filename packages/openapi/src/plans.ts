/**
 * What the document says about one operation, resolved once and cached: its parameters, its
 * request body, and per status its response (headers, media types and where their schemas live).
 */
import { appendPointer, getAtPointer, isObject, refToPointer, type JsonObject } from '@cutover/core';
import { isFormMediaType, isJsonMediaType, isTextMediaType, matchMediaType } from './media.js';
import { shapeOf, type ParameterLocation, type ShapeInfo } from './params.js';
import type { OperationInfo } from './operations.js';
import type { CompiledSchema, SchemaCompiler } from './schema.js';

export interface ResolvedParameter {
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

export interface MediaPlan {
  /** The documented media type key that matched. */
  key: string;
  mode: 'json' | 'form' | 'text' | 'skip';
  schemaPointer?: string;
  schema?: unknown;
  /** Compiled on first use. */
  compiled?: CompiledSchema;
  compiledPartial?: CompiledSchema;
}

export interface BodyPlan {
  documented?: { value: JsonObject; pointer: string };
  content: JsonObject;
  contentPointer: string;
  types: string[];
  /** Media plans by the message's content type (`null`: not documented). */
  media: Map<string, MediaPlan | null>;
}

export interface HeaderPlan {
  name: string;
  lower: string;
  required: boolean;
  pointer: string;
  explode: boolean;
  schemaPointer?: string;
  shape?: ShapeInfo;
}

export interface ResponsePlan extends BodyPlan {
  /** The `responses` key that applies (`200`, `2XX`, `default`), if any. */
  key?: string;
  responsesPointer: string;
  documentedStatuses: string[];
  headers: HeaderPlan[];
}

const DEFAULT_STYLE: Record<ParameterLocation, string> = {
  path: 'simple',
  query: 'form',
  header: 'simple',
  cookie: 'form',
};

/** Follows a `$ref` chain; returns the object and the pointer where it really lives. */
export function resolveRef(
  document: JsonObject,
  value: unknown,
  pointer: string,
): { value: JsonObject; pointer: string } | undefined {
  let current = value;
  let at = pointer;
  for (let hops = 0; isObject(current) && typeof current.$ref === 'string' && hops < 20; hops++) {
    const target = refToPointer(current.$ref);
    if (target === undefined) return undefined;
    at = target;
    current = getAtPointer(document, target);
  }
  return isObject(current) ? { value: current, pointer: at } : undefined;
}

/** The plans of one document, computed on first use per operation (and status). */
export class DocumentPlans {
  private readonly parameters = new Map<OperationInfo, ResolvedParameter[]>();
  private readonly responsePlans = new Map<OperationInfo, Map<number, ResponsePlan>>();
  private readonly requestPlans = new Map<OperationInfo, BodyPlan>();

  constructor(
    private readonly document: JsonObject,
    private readonly compiler: SchemaCompiler,
  ) {}

  /** What the document says about one status of one operation; computed once per (operation, status). */
  responsePlan(op: OperationInfo, status: number): ResponsePlan {
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
  mediaPlan(
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

  requestBodyPlan(op: OperationInfo): BodyPlan {
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

  parametersOf(op: OperationInfo): ResolvedParameter[] {
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

  private resolve(value: unknown, pointer: string): { value: JsonObject; pointer: string } | undefined {
    return resolveRef(this.document, value, pointer);
  }
}

/** Exact status, then its `2XX`-style range, then `default`. */
function statusKey(responses: JsonObject, status: number): string | undefined {
  const text = String(status);
  if (text in responses) return text;
  const range = Object.keys(responses).find((k) => k.toUpperCase() === `${text[0]}XX`);
  return range ?? ('default' in responses ? 'default' : undefined);
}
