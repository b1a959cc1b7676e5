/** JSON pointer helpers (RFC 6901). Pointers here never carry the leading `#`. */

export function escapeToken(token: string | number): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function unescapeToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

export function appendPointer(pointer: string, ...tokens: (string | number)[]): string {
  return pointer + tokens.map((t) => '/' + escapeToken(t)).join('');
}

export function splitPointer(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return pointer === '/' ? [''] : [];
  return pointer.slice(1).split('/').map(unescapeToken);
}

/** The pointer part of a local `$ref` (`#/components/schemas/Pet` → `/components/schemas/Pet`), URI-decoded. */
export function refToPointer(ref: string): string | undefined {
  if (!ref.startsWith('#')) return undefined;
  const fragment = ref.slice(1);
  if (fragment !== '' && !fragment.startsWith('/')) return undefined;
  try {
    return decodeURIComponent(fragment);
  } catch {
    return fragment;
  }
}

export function getAtPointer(root: unknown, pointer: string): unknown {
  let value = root;
  for (const token of splitPointer(pointer)) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[token];
  }
  return value;
}

/** `#/paths/~1a/get` for messages and reports. */
export function formatPointer(pointer: string): string {
  return '#' + pointer;
}
