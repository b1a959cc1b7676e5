/** Checks of a request against its operation: parameters (path, query, header, cookie) and body. */
import {
  appendPointer,
  formatPointer,
  getAtPointer,
  isObject,
  type JsonObject,
  type SchemaViolation,
} from '@cutover/core';
import { checkBody, guessContentType, hasBody } from './body.js';
import { isJsonMediaType } from './media.js';
import { readPathValue, readQueryValue, readStyled } from './params.js';
import type { OperationInfo } from './operations.js';
import type { DocumentPlans, ResolvedParameter } from './plans.js';
import type { SchemaCompiler, ViolationContext } from './schema.js';

/** What the request checks need of the document. */
export interface RequestCheckContext {
  document: JsonObject;
  compiler: SchemaCompiler;
  plans: DocumentPlans;
}

const REQUEST_BODY: ViolationContext = { code: 'request.body.invalid', on: 'request', subject: 'request body' };
const IGNORED_HEADER_PARAMETERS = new Set(['accept', 'content-type', 'authorization']);

export function checkParameter(
  { document, compiler }: RequestCheckContext,
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
    const media = getAtPointer(document, p.media.pointer);
    if (!isObject(media) || media.schema === undefined) return [];
    return compiler
      .get('request', appendPointer(p.media.pointer, 'schema'))
      .violations(value, { code: 'request.parameter.invalid', on: 'request', instancePrefix: instancePath, subject });
  }
  if (p.schemaPointer === undefined) return [];
  return compiler
    .get('request', p.schemaPointer)
    .violations(value, { code: 'request.parameter.invalid', on: 'request', instancePrefix: instancePath, subject });
}

export function checkRequestBody(
  { compiler, plans }: RequestCheckContext,
  op: OperationInfo,
  request: { body?: unknown; contentType?: string },
  headers: ReadonlyMap<string, string[]>,
): SchemaViolation[] {
  const plan = plans.requestBodyPlan(op);
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
  const media = contentType === undefined ? undefined : plans.mediaPlan(plan, contentType);
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
  return checkBody(compiler, 'request', request.body, media, REQUEST_BODY);
}

export function splitQuery(path: string): [string, string] {
  const q = path.indexOf('?');
  return q < 0 ? [path, ''] : [path.slice(0, q), path.slice(q + 1)];
}

export function mergeQuery(
  queryString: string,
  query: Record<string, string | string[]> | undefined,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (queryString) for (const [k, v] of new URLSearchParams(queryString)) (out[k] ??= []).push(v);
  for (const [k, v] of Object.entries(query ?? {})) (out[k] ??= []).push(...(Array.isArray(v) ? v : [v]));
  return out;
}
