import picomatch from 'picomatch';

/**
 * Route path patterns: literal segments, `*` inside one segment, `**` as a whole segment (any
 * depth, including none). A deliberately small subset of picomatch globs, because the same pattern
 * has to become an nginx (PCRE) and an Envoy (RE2, no look-arounds) regular expression.
 */

const matchers = new Map<string, (path: string) => boolean>();

/** The literal part every matching path starts with: up to the segment holding the first `*`. */
function literalStart(pattern: string): string {
  const star = pattern.indexOf('*');
  if (star === -1) return pattern.replace(/\/+$/, '');
  return pattern.slice(0, Math.max(0, pattern.lastIndexOf('/', star)));
}

/** True when `path` (no query string) is under `pattern`; picomatch semantics with dot segments allowed. */
export function pathMatches(pattern: string, path: string): boolean {
  let matcher = matchers.get(pattern);
  if (!matcher) {
    const glob = picomatch(pattern, { dot: true });
    const start = literalStart(pattern);
    // A cheap prefix test first: with many routes, most paths are rejected without running the regex.
    matcher = (candidate) => candidate.startsWith(start) && glob(candidate);
    matchers.set(pattern, matcher);
  }
  return matcher(path);
}

/** Why a pattern is outside the supported subset, or undefined when it is fine. */
export function patternProblem(pattern: string): string | undefined {
  if (!pattern.startsWith('/')) return 'must start with "/"';
  for (const segment of pattern.split('/').slice(1)) {
    if (segment.includes('**') && segment !== '**') return `"**" must be a whole segment (found "${segment}")`;
  }
  return undefined;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, (c) => (c === '/' ? '/' : `\\${c}`));
}

/**
 * The pattern as an anchored regular expression valid in both PCRE (nginx) and RE2 (Envoy).
 * Agrees with {@link pathMatches} (a test checks this on a table of paths).
 *
 * @example
 * globToRegex('/api/tracking/**') // '^/api/tracking(?:/.*)?$'
 */
export function globToRegex(pattern: string): string {
  const segments = pattern.split('/').slice(1);
  let out = '^';
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    if (segment === '**') {
      out += last ? '(?:/.*)?' : '(?:/[^/]+)*';
      return;
    }
    if (segment === '*') out += '/[^/]+';
    else out += '/' + segment.split('*').map(escapeRegex).join('[^/]*');
    // picomatch lets a trailing single-segment wildcard also match a trailing slash
    if (last && segment.includes('*')) out += '/?';
  });
  if (segments.length === 0) out += '/';
  return out + '$';
}

function hasGlob(segment: string): boolean {
  return segment.includes('*');
}

function literalPrefix(segment: string): string {
  return segment.slice(0, segment.indexOf('*') === -1 ? segment.length : segment.indexOf('*'));
}

function literalSuffix(segment: string): string {
  const i = segment.lastIndexOf('*');
  return i === -1 ? segment : segment.slice(i + 1);
}

function segmentsOverlap(a: string, b: string): boolean {
  if (!hasGlob(a) && !hasGlob(b)) return a === b;
  if (!hasGlob(a)) return pathMatches(b, a);
  if (!hasGlob(b)) return pathMatches(a, b);
  // Two wildcard segments: overlap unless their literal prefixes or suffixes are incompatible.
  // Conservative on purpose: a false "overlap" is an explained policy error, a missed one is ambiguous routing.
  const [pa, pb] = [literalPrefix(a), literalPrefix(b)];
  const [sa, sb] = [literalSuffix(a), literalSuffix(b)];
  return (pa.startsWith(pb) || pb.startsWith(pa)) && (sa.endsWith(sb) || sb.endsWith(sa));
}

/**
 * True when some path could match both patterns.
 *
 * @example
 * patternsOverlap('/api/tracking/**', '/api/tracking/shipments/*') // true
 * patternsOverlap('/api/tracking/**', '/api/auth/**') // false
 */
export function patternsOverlap(a: string, b: string): boolean {
  const sa = a.split('/').slice(1);
  const sb = b.split('/').slice(1);
  const memo = new Map<string, boolean>();
  const go = (i: number, j: number): boolean => {
    const key = `${i},${j}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    const x = sa[i];
    const y = sb[j];
    if (x === undefined && y === undefined) result = true;
    else if (x === '**') result = go(i + 1, j) || (y !== undefined && go(i, j + 1));
    else if (y === '**') result = go(i, j + 1) || (x !== undefined && go(i + 1, j));
    else if (x === undefined || y === undefined) result = false;
    else result = segmentsOverlap(x, y) && go(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return go(0, 0);
}

/**
 * True when an OpenAPI path template (`/api/tracking/{id}`) lies under the pattern. A parameter
 * stands for an arbitrary segment value, so `/api/{section}` is not under `/api/tracking/**`.
 */
export function templateUnderPattern(pattern: string, template: string): boolean {
  return pathMatches(pattern, template.replace(/\{[^}/]+\}/g, 'cutover-param'));
}

/** Regex that matches the concrete paths an OpenAPI path template describes. */
export function templateToRegExp(template: string): RegExp {
  const source = template
    .split(/(\{[^}/]+\})/)
    .map((part) => (/^\{[^}/]+\}$/.test(part) ? '[^/]+' : escapeRegex(part)))
    .join('');
  return new RegExp(`^${source}/?$`);
}
