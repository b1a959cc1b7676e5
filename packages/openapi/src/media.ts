/** Media-type matching between a message's Content-Type and a `content` map of the document. */

/** `Application/JSON; charset=utf-8` → `application/json`. */
export function essence(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

/**
 * Picks the documented media type for `contentType`: exact match (parameters included), then the
 * essence, then `type/*`, then `*\/*`.
 */
export function matchMediaType(contentType: string, documented: string[]): string | undefined {
  const wanted = contentType.trim().toLowerCase();
  const exact = documented.find((d) => d.trim().toLowerCase() === wanted);
  if (exact !== undefined) return exact;
  const base = essence(contentType);
  const same = documented.find((d) => essence(d) === base);
  if (same !== undefined) return same;
  const range = documented.find((d) => essence(d) === `${base.split('/')[0]}/*`);
  if (range !== undefined) return range;
  return documented.find((d) => essence(d) === '*/*');
}

export function isJsonMediaType(contentType: string): boolean {
  const base = essence(contentType);
  return base === 'application/json' || base.endsWith('+json') || base === '*/*' || base === 'application/*';
}

export function isFormMediaType(contentType: string): boolean {
  return essence(contentType) === 'application/x-www-form-urlencoded';
}

export function isTextMediaType(contentType: string): boolean {
  return essence(contentType).startsWith('text/');
}
