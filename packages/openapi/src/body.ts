/** Reading a message body as its media type says (JSON, form, text) and checking it against the schema. */
import { formatPointer, type JsonObject, type SchemaViolation } from '@cutover/core';
import { isJsonMediaType } from './media.js';
import { readPrimitive, shapeOf } from './params.js';
import type { MediaPlan } from './plans.js';
import type { Direction, SchemaCompiler, ViolationContext } from './schema.js';

export function hasBody(body: unknown): boolean {
  if (body === undefined) return false;
  if (typeof body === 'string') return body.length > 0;
  if (Buffer.isBuffer(body)) return body.length > 0;
  return true;
}

/** The content type of a body sent without one: the only documented type, else JSON for a parsed value. */
export function guessContentType(body: unknown, documented: string[]): string | undefined {
  if (documented.length === 1) return documented[0];
  if (typeof body !== 'string' && !Buffer.isBuffer(body)) return documented.find(isJsonMediaType) ?? 'application/json';
  return undefined;
}

/** Schema violations of a body of the given media plan; binary, multipart and XML bodies are not checked. */
export function checkBody(
  compiler: SchemaCompiler,
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
    if (typeof value === 'string') value = readForm(compiler, value, media.schema);
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
      ? (media.compiledPartial ??= compiler.get(direction, media.schemaPointer))
      : (media.compiled ??= compiler.get(direction, media.schemaPointer));
  return compiled.violations(value, context);
}

function readForm(compiler: SchemaCompiler, text: string, schema: unknown): JsonObject {
  const shape = shapeOf(schema, (s) => compiler.resolve(s));
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
