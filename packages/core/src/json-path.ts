/**
 * The JSON paths that results and messages print for a place in a body or a document
 * (`$.items[0].id`, `$['x.y']`). The verifier writes them into parity differences and the gate
 * reads them back to line differences up with schema violations, so writer and reader live here.
 */

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * `['items', 0, 'first.name']` → `$.items[0]['first.name']`; quotes and backslashes in a
 * bracketed name are backslash-escaped.
 */
export function formatJsonPath(segments: readonly (string | number)[]): string {
  let out = '$';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += `.${segment}`;
    else out += `['${segment.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
  }
  return out;
}

/**
 * The segments of a path {@link formatJsonPath} wrote, as strings (array indexes too, to compare
 * with a JSON pointer's tokens); `undefined` for anything else.
 */
export function parseJsonPath(path: string): string[] | undefined {
  if (!path.startsWith('$')) return undefined;
  const segments: string[] = [];
  const token = /\.([A-Za-z_$][\w$]*)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]/y;
  token.lastIndex = 1;
  while (token.lastIndex < path.length) {
    const m = token.exec(path);
    if (!m) return undefined;
    segments.push(m[1] ?? m[2] ?? m[3]!.replace(/\\(.)/g, '$1'));
  }
  return segments;
}
