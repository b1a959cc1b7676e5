/**
 * Finds fields a payload carries that its schema does not declare: a consumer relying on them
 * relies on something the API does not promise. Objects with declared properties and no
 * `additionalProperties` are the ones that can have undeclared fields; free-form objects (no
 * properties at all, or `additionalProperties: true`/a schema) declare every field, and
 * `additionalProperties: false` is left to schema validation, which already rejects extras.
 */
import { compileSchemaPattern, type SchemaPattern, type SchemaViolation } from '@cutover/core';
import { appendPointer, formatPointer, getAtPointer, refToPointer, splitPointer } from './pointer.js';
import { isObject, type JsonObject } from './util.js';

export interface UndeclaredContext {
  document: JsonObject;
  /** True when `value` is valid against the schema at `pointer` (response direction). */
  test(pointer: string, value: unknown): boolean;
  code: string;
  on: 'request' | 'response';
  subject: string;
}

interface Declarations {
  names: Map<string, string[]>;
  patterns: { regex: SchemaPattern; pointer: string }[];
  additional: string[];
  /** `additionalProperties: true`, or `false` (validation reports those), or a free-form object. */
  open: boolean;
  structured: boolean;
}

const MAX_DEPTH = 64;

export function findUndeclaredFields(
  value: unknown,
  schemaPointer: string,
  context: UndeclaredContext,
): SchemaViolation[] {
  const out: SchemaViolation[] = [];
  walk(value, schemaPointer, '', context, out, 0);
  return out;
}

function deref(context: UndeclaredContext, pointer: string): { schema: JsonObject; pointer: string } | undefined {
  let at = pointer;
  let schema = getAtPointer(context.document, at);
  for (let hops = 0; isObject(schema) && typeof schema.$ref === 'string' && hops < 20; hops++) {
    const target = refToPointer(schema.$ref);
    if (target === undefined) return undefined;
    at = target;
    schema = getAtPointer(context.document, at);
  }
  return isObject(schema) ? { schema, pointer: at } : undefined;
}

function walk(
  value: unknown,
  pointer: string,
  instance: string,
  context: UndeclaredContext,
  out: SchemaViolation[],
  depth: number,
): void {
  if (depth > MAX_DEPTH) return;
  const found = deref(context, pointer);
  if (!found) return;
  const { schema } = found;
  pointer = found.pointer;
  if (Array.isArray(value)) {
    for (const branch of applicableBranches(value, schema, pointer, context))
      walk(value, branch, instance, context, out, depth + 1);
    const prefix = Array.isArray(schema.prefixItems)
      ? 'prefixItems'
      : Array.isArray(schema.items)
        ? 'items'
        : undefined;
    const tuple = prefix ? (schema[prefix] as unknown[]) : [];
    value.forEach((item, i) => {
      const itemInstance = appendPointer(instance, i);
      if (prefix && i < tuple.length)
        walk(item, appendPointer(pointer, prefix, i), itemInstance, context, out, depth + 1);
      else if (isObject(schema.items))
        walk(item, appendPointer(pointer, 'items'), itemInstance, context, out, depth + 1);
    });
    return;
  }
  if (!isObject(value)) return;
  const decl: Declarations = { names: new Map(), patterns: [], additional: [], open: false, structured: false };
  collect(value, pointer, context, decl, 0);
  for (const [key, child] of Object.entries(value)) {
    const childInstance = appendPointer(instance, key);
    const targets = [
      ...(decl.names.get(key) ?? []),
      ...decl.patterns.filter((p) => p.regex.test(key)).map((p) => p.pointer),
    ];
    if (targets.length === 0) targets.push(...decl.additional);
    if (targets.length > 0) {
      for (const target of targets) walk(child, target, childInstance, context, out, depth + 1);
      continue;
    }
    if (decl.open || !decl.structured) continue;
    out.push({
      code: context.code,
      severity: 'error',
      on: context.on,
      instancePath: childInstance,
      schemaPath: formatPointer(pointer),
      rule: 'undeclared',
      message: `${context.subject} has field ${childInstance} that the schema does not declare (declared: ${[...decl.names.keys()].join(', ') || 'none'})`,
    });
  }
}

function collect(
  value: JsonObject,
  pointer: string,
  context: UndeclaredContext,
  decl: Declarations,
  depth: number,
): void {
  if (depth > 16) return;
  const found = deref(context, pointer);
  if (!found) return;
  const { schema } = found;
  pointer = found.pointer;
  if (isObject(schema.properties)) {
    decl.structured = true;
    for (const name of Object.keys(schema.properties)) {
      const list = decl.names.get(name) ?? [];
      list.push(appendPointer(pointer, 'properties', name));
      decl.names.set(name, list);
    }
  }
  if (isObject(schema.patternProperties)) {
    decl.structured = true;
    for (const pattern of Object.keys(schema.patternProperties)) {
      try {
        decl.patterns.push({
          regex: compileSchemaPattern(pattern),
          pointer: appendPointer(pointer, 'patternProperties', pattern),
        });
      } catch {
        decl.open = true;
      }
    }
  }
  for (const key of ['additionalProperties', 'unevaluatedProperties']) {
    const extra = schema[key];
    if (extra === true || extra === false) decl.open = true;
    else if (isObject(extra)) {
      decl.structured = true;
      if (Object.keys(extra).length === 0) decl.open = true;
      else decl.additional.push(appendPointer(pointer, key));
    }
  }
  if (Array.isArray(schema.allOf))
    schema.allOf.forEach((_, i) => collect(value, appendPointer(pointer, 'allOf', i), context, decl, depth + 1));
  for (const branch of applicableBranches(value, schema, pointer, context))
    collect(value, branch, context, decl, depth + 1);
}

/** The `oneOf`/`anyOf` branches the value takes: by discriminator, else those it validates against, else all. */
function applicableBranches(value: unknown, schema: JsonObject, pointer: string, context: UndeclaredContext): string[] {
  const key = Array.isArray(schema.oneOf) ? 'oneOf' : Array.isArray(schema.anyOf) ? 'anyOf' : undefined;
  if (!key) return [];
  const branches = (schema[key] as unknown[]).map((raw, i) => {
    const ref = isObject(raw) && typeof raw.$ref === 'string' ? raw.$ref : undefined;
    return { ref, pointer: ref ? (refToPointer(ref) ?? '') : appendPointer(pointer, key, i) };
  });
  const discriminator = isObject(schema.discriminator) ? schema.discriminator : undefined;
  if (discriminator && typeof discriminator.propertyName === 'string' && isObject(value)) {
    const tag = value[discriminator.propertyName];
    if (typeof tag === 'string') {
      const mapped = isObject(discriminator.mapping) ? discriminator.mapping[tag] : undefined;
      const target =
        typeof mapped === 'string' ? (mapped.includes('/') ? mapped : `#/components/schemas/${mapped}`) : undefined;
      const name = (ref: string): string | undefined => splitPointer(refToPointer(ref) ?? '').pop();
      const hit = branches.find(
        (b) => b.ref !== undefined && (target ? name(b.ref) === name(target) : name(b.ref) === tag),
      );
      if (hit) return [hit.pointer];
    }
    // Inline branches of a discriminated schema cannot be tested on their own (the validator dispatches instead).
    return branches.filter((b) => b.ref !== undefined || !discriminator).map((b) => b.pointer);
  }
  const valid = branches.filter((b) => {
    try {
      return context.test(b.pointer, value);
    } catch {
      return false;
    }
  });
  return (valid.length > 0 ? valid : branches).map((b) => b.pointer);
}
