import { MatchingRuleError } from '../errors.js';

/** One step of a matching-rule path expression such as `$.items[*].id`. */
export type PathToken =
  | { kind: 'root' }
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'star' }
  | { kind: 'star-index' };

const cache = new Map<string, PathToken[]>();

/**
 * Parses a matching-rule path expression (`$.a.b`, `$.a[*].c`, `$[0]`, `$['x.y']`, `$.*`).
 * Throws {@link MatchingRuleError} naming the expression and the position of the fault.
 *
 * @example
 * parseRulePath("$.items[*]['first.name']")
 * // [{kind:'root'},{kind:'field',name:'items'},{kind:'star-index'},{kind:'field',name:'first.name'}]
 */
export function parseRulePath(expression: string): PathToken[] {
  const cached = cache.get(expression);
  if (cached) return cached;
  const tokens = parse(expression);
  if (cache.size > 10_000) cache.clear();
  cache.set(expression, tokens);
  return tokens;
}

function fail(expression: string, at: number, what: string): never {
  throw new MatchingRuleError(`Malformed matching rule path '${expression}': ${what} at position ${at}`, {
    details: { path: expression, position: at },
  });
}

// Field names after a dot: anything but the characters that delimit steps. `@attr` and `#text`
// (XML) and `-`, `:` are allowed, as pact-reference allows them.
const IDENT = /[^.[\]'"\s*]/;

function parse(expression: string): PathToken[] {
  if (typeof expression !== 'string' || expression.length === 0) fail(String(expression), 0, 'empty expression');
  if (expression[0] !== '$') fail(expression, 0, "expected '$'");
  const tokens: PathToken[] = [{ kind: 'root' }];
  let i = 1;
  const n = expression.length;
  while (i < n) {
    const c = expression[i];
    if (c === '.') {
      i++;
      if (expression[i] === '*') {
        tokens.push({ kind: 'star' });
        i++;
        continue;
      }
      const start = i;
      while (i < n && IDENT.test(expression[i] as string)) i++;
      if (i === start) fail(expression, i, "expected a field name or '*' after '.'");
      tokens.push({ kind: 'field', name: expression.slice(start, i) });
    } else if (c === '[') {
      i++;
      const d = expression[i];
      if (d === '*') {
        if (expression[i + 1] !== ']') fail(expression, i + 1, "expected ']' after '[*'");
        tokens.push({ kind: 'star-index' });
        i += 2;
      } else if (d === "'" || d === '"') {
        const end = expression.indexOf(d, i + 1);
        if (end < 0) fail(expression, i, 'unterminated quoted field name');
        if (expression[end + 1] !== ']') fail(expression, end + 1, "expected ']' after quoted field name");
        const name = expression.slice(i + 1, end);
        if (name === '') fail(expression, i, 'empty quoted field name');
        tokens.push(name === '*' ? { kind: 'star' } : { kind: 'field', name });
        i = end + 2;
      } else {
        const start = i;
        while (i < n && (expression[i] as string) >= '0' && (expression[i] as string) <= '9') i++;
        if (i === start) fail(expression, i, "expected an index, '*' or a quoted name after '['");
        if (expression[i] !== ']') fail(expression, i, "expected ']' after index");
        tokens.push({ kind: 'index', index: Number(expression.slice(start, i)) });
        i++;
      }
    } else {
      fail(expression, i, `unexpected character '${c}'`);
    }
  }
  return tokens;
}

/** How well one token matches one path fragment: 2 exact, 1 wildcard, 0 no match (pact-reference weights). */
export function tokenWeight(token: PathToken, fragment: string | number): number {
  switch (token.kind) {
    case 'root':
      return fragment === '$' ? 2 : 0;
    case 'field':
      return String(fragment) === token.name ? 2 : 0;
    case 'index':
      return typeof fragment === 'number'
        ? fragment === token.index
          ? 2
          : 0
        : isIndexText(fragment) && Number(fragment) === token.index
          ? 2
          : 0;
    case 'star-index':
      return typeof fragment === 'number' || isIndexText(fragment) ? 1 : 0;
    case 'star':
      return 1;
  }
}

/** True for a non-empty string of decimal digits (an object key that `[n]` and `[*]` also match). */
export function isIndexText(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * The weight of a rule path for a concrete path (which starts with `'$'`): 0 when it does not
 * apply; otherwise the product of token weights. A rule applies to the path it names and to
 * everything below it (cascading), so a longer concrete path can still match.
 */
export function pathWeight(tokens: readonly PathToken[], path: readonly (string | number)[]): number {
  if (path.length < tokens.length) return 0;
  let weight = 1;
  for (let i = 0; i < tokens.length; i++) {
    weight *= tokenWeight(tokens[i] as PathToken, path[i] as string | number);
    if (weight === 0) return 0;
  }
  return weight;
}

/**
 * True when the rule path `expression` applies to `path` — the path itself or one of its
 * ancestors is named by the expression (rules cascade to children). `path` lists the steps below
 * the root (`['items', 0, 'id']` for `$.items[0].id`); a leading `'$'` is accepted too.
 *
 * @example
 * pathMatches('$.items[*].id', ['items', 3, 'id']) // true
 * pathMatches('$.items', ['items', 3, 'id'])       // true (cascades)
 * pathMatches('$.other', ['items'])                // false
 */
export function pathMatches(expression: string, path: readonly (string | number)[]): boolean {
  const full = path[0] === '$' ? path : ['$', ...path];
  return pathWeight(parseRulePath(expression), full) > 0;
}

/** Renders a concrete path as an expression: `['$','items',0,'first.name']` → `$.items[0]['first.name']`. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const step of path) {
    if (step === '$' && out === '') out = '$';
    else if (typeof step === 'number') out += `[${step}]`;
    else if (/^[A-Za-z_@#][\w\-:@#]*$/.test(step)) out += `.${step}`;
    else out += `['${step}']`;
  }
  return out || '$';
}
