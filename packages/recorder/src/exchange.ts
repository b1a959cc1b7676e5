/** What the recorder saw of one request and its response: the input of grouping and inference. */
export interface Exchange {
  method: string;
  /** The raw path, without the query string. */
  path: string;
  /** Query parameters in order of appearance; each name maps to all its values. */
  query: Record<string, string[]>;
  /** Header names in lower case; each maps to its values. */
  requestHeaders: Record<string, string[]>;
  /** The request body as sent (decoded from any content encoding), or undefined when there was none. */
  requestBody?: Uint8Array | undefined;
  status: number;
  responseHeaders: Record<string, string[]>;
  /** The response body, decoded from any content encoding. */
  responseBody?: Uint8Array | undefined;
}

/** Splits `/a/b?x=1&x=2&y` into the path and its query parameters (decoded). */
export function splitUrl(url: string): { path: string; query: Record<string, string[]> } {
  const mark = url.indexOf('?');
  const path = mark === -1 ? url : url.slice(0, mark);
  const query: Record<string, string[]> = {};
  if (mark !== -1) {
    for (const [name, value] of new URLSearchParams(url.slice(mark + 1))) (query[name] ??= []).push(value);
  }
  return { path: path === '' ? '/' : path, query };
}

/** Node's `rawHeaders` list (`[name, value, name, value, …]`) as lower-case names to values. */
export function headersFromRaw(raw: readonly string[]): Record<string, string[]> {
  const headers: Record<string, string[]> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) (headers[raw[i]!.toLowerCase()] ??= []).push(raw[i + 1]!);
  return headers;
}

/** Any header object (values string, number or list) as lower-case names to string values. */
export function normalizeHeaders(
  headers: Record<string, string | number | readonly (string | number)[] | undefined> | undefined,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    (out[name.toLowerCase()] ??= []).push(...values.map(String));
  }
  return out;
}

/** The media type of a content-type header, lower case and without parameters. */
export function mediaType(headers: Record<string, string[]>): string | undefined {
  const value = headers['content-type']?.[0];
  return value?.split(';')[0]!.trim().toLowerCase() || undefined;
}
