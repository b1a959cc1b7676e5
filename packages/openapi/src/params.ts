/**
 * Parameter values arrive as strings; this turns them into the values their schema describes
 * (style/explode, primitive types) so ajv can check them. The caller's strings are never changed.
 */
import { isObject, type JsonObject } from '@cutover/core';

export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie';

/** The schema facts deserialization needs, resolved through `$ref`s by the caller. */
export interface ShapeInfo {
  /** `array`, `object`, or a primitive; `undefined` when the schema does not say. */
  kind: 'array' | 'object' | 'primitive';
  /** Types a string value may be read as (`integer`, `number`, `boolean`, `string`, `null`). */
  types: Set<string>;
  items?: ShapeInfo;
  properties?: Map<string, ShapeInfo>;
}

export type ResolveFn = (schema: unknown) => JsonObject | undefined;

/** Summarises a schema's type for deserialization, looking through `$ref`, `allOf`, `oneOf`, `anyOf`. */
export function shapeOf(schema: unknown, resolve: ResolveFn, depth = 0): ShapeInfo {
  const resolved = resolve(schema);
  const shape: ShapeInfo = { kind: 'primitive', types: new Set() };
  if (!resolved || depth > 6) return shape;
  const types = Array.isArray(resolved.type)
    ? resolved.type.map(String)
    : typeof resolved.type === 'string'
      ? [resolved.type]
      : [];
  for (const t of types) shape.types.add(t);
  if (types.includes('array') || resolved.items !== undefined) {
    shape.kind = 'array';
    shape.items = shapeOf(resolved.items, resolve, depth + 1);
  } else if (types.includes('object') || isObject(resolved.properties)) {
    shape.kind = 'object';
    shape.properties = new Map();
    if (isObject(resolved.properties)) {
      for (const [name, sub] of Object.entries(resolved.properties))
        shape.properties.set(name, shapeOf(sub, resolve, depth + 1));
    }
  }
  for (const key of ['allOf', 'oneOf', 'anyOf']) {
    const list = resolved[key];
    if (!Array.isArray(list)) continue;
    for (const sub of list) {
      const inner = shapeOf(sub, resolve, depth + 1);
      for (const t of inner.types) shape.types.add(t);
      if (inner.kind !== 'primitive' && shape.kind === 'primitive')
        Object.assign(shape, { ...inner, types: shape.types });
      if (inner.properties && shape.properties) for (const [k, v] of inner.properties) shape.properties.set(k, v);
    }
  }
  return shape;
}

const NUMBER = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** Reads one string as the primitive its schema declares; anything unreadable stays a string for ajv to reject. */
export function readPrimitive(text: string, shape: ShapeInfo | undefined): unknown {
  const types = shape?.types ?? new Set<string>();
  if ((types.has('integer') || types.has('number')) && NUMBER.test(text)) return Number(text);
  if (types.has('boolean') && (text === 'true' || text === 'false')) return text === 'true';
  if (types.has('null') && text === 'null' && !types.has('string')) return null;
  return text;
}

function readArray(parts: string[], shape: ShapeInfo): unknown[] {
  return parts.map((p) => readPrimitive(p, shape.items));
}

function readPairs(parts: string[], shape: ShapeInfo): JsonObject {
  const out: JsonObject = {};
  for (let i = 0; i + 1 < parts.length; i += 2)
    out[parts[i]!] = readPrimitive(parts[i + 1]!, shape.properties?.get(parts[i]!));
  return out;
}

function readAssignments(parts: string[], shape: ShapeInfo): JsonObject {
  const out: JsonObject = {};
  for (const part of parts) {
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    out[key] = readPrimitive(eq < 0 ? '' : part.slice(eq + 1), shape.properties?.get(key));
  }
  return out;
}

/** Path parameters: `simple` (default), `label` and `matrix` styles. */
export function readPathValue(name: string, raw: string, style: string, explode: boolean, shape: ShapeInfo): unknown {
  let text = raw;
  let separator = ',';
  if (style === 'label') {
    text = text.startsWith('.') ? text.slice(1) : text;
    if (explode) separator = '.';
  } else if (style === 'matrix') {
    const prefix = `;${name}=`;
    if (shape.kind === 'object' && explode) {
      return readAssignments(text.split(';').filter(Boolean), shape);
    }
    if (shape.kind === 'array' && explode) {
      return readArray(
        text
          .split(';')
          .filter(Boolean)
          .map((p) => p.slice(p.indexOf('=') + 1)),
        shape,
      );
    }
    text = text.startsWith(prefix) ? text.slice(prefix.length) : text;
  }
  return readStyled(text, separator, explode, shape);
}

/** Header parameters and path values in `simple` style. */
export function readStyled(text: string, separator: string, explode: boolean, shape: ShapeInfo): unknown {
  if (shape.kind === 'array') return text === '' ? [] : readArray(text.split(separator), shape);
  if (shape.kind === 'object') {
    const parts = text.split(separator);
    return explode ? readAssignments(parts, shape) : readPairs(parts, shape);
  }
  return readPrimitive(text, shape);
}

/**
 * Query parameters. Returns `undefined` when the parameter is absent; for exploded `form` objects
 * and `deepObject` the value is assembled from several query names, listed in `consumed`.
 */
export function readQueryValue(
  name: string,
  query: Record<string, string[]>,
  style: string,
  explode: boolean,
  shape: ShapeInfo,
  consumed: Set<string>,
): unknown {
  if (style === 'deepObject') {
    const out: JsonObject = {};
    const prefix = `${name}[`;
    for (const [key, values] of Object.entries(query)) {
      if (!key.startsWith(prefix) || !key.endsWith(']')) continue;
      const prop = key.slice(prefix.length, -1);
      consumed.add(key);
      out[prop] = readPrimitive(values[0] ?? '', shape.properties?.get(prop));
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
  if (shape.kind === 'object' && style === 'form' && explode) {
    const out: JsonObject = {};
    for (const [prop, propShape] of shape.properties ?? []) {
      const values = query[prop];
      if (values === undefined) continue;
      consumed.add(prop);
      out[prop] = readPrimitive(values[0] ?? '', propShape);
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
  const values = query[name];
  if (values === undefined) return undefined;
  consumed.add(name);
  if (shape.kind === 'array') {
    if (explode && style === 'form') return readArray(values, shape);
    const separator = style === 'spaceDelimited' ? ' ' : style === 'pipeDelimited' ? '|' : ',';
    return readArray(
      values.flatMap((v) => (v === '' ? [] : v.split(separator))),
      shape,
    );
  }
  if (shape.kind === 'object') return readPairs((values[0] ?? '').split(','), shape);
  return readPrimitive(values[0] ?? '', shape);
}

/** `a=1; b=2` → `{ a: '1', b: '2' }`. */
export function parseCookieHeader(values: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const value of values) {
    for (const part of value.split(';')) {
      const eq = part.indexOf('=');
      if (eq < 0) continue;
      out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
    }
  }
  return out;
}
