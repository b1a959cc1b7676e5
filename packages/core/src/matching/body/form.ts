/** Parses `a=1&b=2&a=3` into name → values, in order. `+` is a space, as in HTML forms. */
export function parseFormOrQuery(text: string, plusIsSpace = true): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const source = text.startsWith('?') ? text.slice(1) : text;
  if (source === '') return out;
  for (const part of source.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawName = eq < 0 ? part : part.slice(0, eq);
    const rawValue = eq < 0 ? '' : part.slice(eq + 1);
    const name = decode(rawName, plusIsSpace);
    (out[name] ??= []).push(decode(rawValue, plusIsSpace));
  }
  return out;
}

function decode(text: string, plusIsSpace: boolean): string {
  const t = plusIsSpace ? text.replace(/\+/g, ' ') : text;
  try {
    return decodeURIComponent(t);
  } catch {
    return t;
  }
}
