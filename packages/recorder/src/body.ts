import { mediaType } from './exchange.js';

/** A body as the recorder understands it. */
export type ParsedBody =
  | { kind: 'json'; value: unknown; contentType: string }
  | { kind: 'text'; text: string; contentType: string }
  | { kind: 'binary'; contentType: string; size: number };

const isJsonType = (type: string) => type === 'application/json' || type.endsWith('+json');
const isTextType = (type: string) =>
  type.startsWith('text/') ||
  type === 'application/xml' ||
  type.endsWith('+xml') ||
  type === 'application/x-www-form-urlencoded' ||
  type === 'application/javascript';

/**
 * Reads a body by its content type: JSON (when it parses), text, or binary; `undefined` for none.
 * A body without a content type is JSON when it parses as JSON, text when it is valid UTF-8.
 */
export function parseBody(bytes: Uint8Array | undefined, headers: Record<string, string[]>): ParsedBody | undefined {
  if (bytes === undefined || bytes.length === 0) return undefined;
  const declared = mediaType(headers);
  const contentType = headers['content-type']?.[0] ?? declared ?? 'application/octet-stream';
  const text = utf8(bytes);
  if ((declared === undefined || isJsonType(declared)) && text !== undefined) {
    try {
      return {
        kind: 'json',
        value: JSON.parse(text),
        contentType: declared === undefined ? 'application/json' : contentType,
      };
    } catch {
      // Not JSON after all: kept as text below.
    }
  }
  if (text !== undefined && (declared === undefined || isJsonType(declared) || isTextType(declared)))
    return { kind: 'text', text, contentType: declared === undefined ? 'text/plain' : contentType };
  return { kind: 'binary', contentType, size: bytes.length };
}

const decoder = new TextDecoder('utf-8', { fatal: true });

function utf8(bytes: Uint8Array): string | undefined {
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}
