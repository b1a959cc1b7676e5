import { escapeRegex } from './text.js';
/**
 * Route patterns: one syntax wherever cutover names routes (verify's `--route` filters, noise
 * rules, gate policies), so a pattern selects the same paths in every command and in the gateway
 * configuration the gate writes.
 *
 * `[METHOD ]/path`, where each `/`-separated segment of the path is
 * - literal: `/api/tracking`;
 * - `*`, `{name}` or `:name` (an identifier) as the whole segment: exactly one non-empty segment;
 * - `*` inside a segment: any run of characters but `/` (`/api/v1-*`, `/files/*.json`), and
 *   `{name}` inside a segment one or more of them (`/files/{name}.{ext}`, as OpenAPI writes it);
 * - `**` as the whole segment: any number of segments, none included.
 *
 * A trailing slash and a query string are ignored, on the pattern and on the path. Every pattern is a regular
 * expression valid in PCRE (nginx) and RE2 (Envoy, no look-arounds): {@link pathPatternRegex};
 * matching uses that same expression, so the gate's decisions and the gateway agree.
 */

/** A parsed route pattern. */
export interface RoutePattern {
  /** Upper-case method, when the pattern names one (`*` or none: any method). */
  method?: string;
  /** The path part, as written. */
  path: string;
  /** The pattern as written. */
  source: string;
}

const compiled = new Map<string, RegExp>();

/**
 * Splits `GET /shipments/*` into method and path.
 *
 * @example
 * parseRoutePattern('post /shipments/{id}/events') // { method: 'POST', path: '/shipments/{id}/events', ... }
 */
export function parseRoutePattern(source: string): RoutePattern {
  const trimmed = source.trim();
  const space = trimmed.search(/\s/);
  const method = space > 0 ? trimmed.slice(0, space).toUpperCase() : undefined;
  const path = space > 0 ? trimmed.slice(space + 1).trim() : trimmed;
  const pattern: RoutePattern = { path, source };
  if (method !== undefined && method !== '*') pattern.method = method;
  return pattern;
}

/**
 * True when `method path` falls under the pattern.
 *
 * @example
 * routeMatches(parseRoutePattern('GET /shipments/*'), 'get', '/shipments/SHP-1?lang=en') // true
 */
export function routeMatches(pattern: RoutePattern, method: string, path: string): boolean {
  if (pattern.method !== undefined && pattern.method !== method.toUpperCase()) return false;
  return pathMatchesPattern(pattern.path, path);
}

/**
 * True when `path` (a query string is ignored) is under the path pattern.
 *
 * @example
 * pathMatchesPattern('/api/tracking/**', '/api/tracking/SHP-1/events') // true
 */
export function pathMatchesPattern(pattern: string, path: string): boolean {
  let regex = compiled.get(pattern);
  if (!regex) {
    regex = new RegExp(pathPatternRegex(pattern));
    compiled.set(pattern, regex);
  }
  const query = path.indexOf('?');
  return regex.test(query === -1 ? path : path.slice(0, query));
}

function segmentsOf(pattern: string): string[] {
  // A query string in a pattern is ignored, as it is in the paths matched.
  const path = pattern.split('?')[0]!;
  const segments = (path.startsWith('/') ? path : `/${path}`).split('/').slice(1);
  if (segments.length > 0 && segments[segments.length - 1] === '') segments.pop();
  return segments;
}

/** True for a segment that stands for exactly one whole path segment. */
export function isSegmentWildcard(segment: string): boolean {
  return segment === '*' || /^\{[^{}/]+\}$/.test(segment) || /^:[A-Za-z_][\w-]*$/.test(segment);
}

/**
 * The path pattern as an anchored regular expression, valid in PCRE (nginx) and RE2 (Envoy).
 *
 * @example
 * pathPatternRegex('/api/tracking/**') // '^/api/tracking(?:/.*)?$'
 */
export function pathPatternRegex(pattern: string): string {
  const segments = segmentsOf(pattern);
  let out = '^';
  segments.forEach((segment, i) => {
    if (segment === '**') out += i === segments.length - 1 ? '(?:/.*)?' : '(?:/[^/]+)*';
    else if (isSegmentWildcard(segment)) out += '/[^/]+';
    else {
      out += '/';
      // The split keeps its separators at odd positions: the wildcards.
      segment.split(/(\*|\{[^{}/]+\})/).forEach((part, k) => {
        out += k % 2 === 0 ? escapeRegex(part) : part === '*' ? '[^/]*' : '[^/]+';
      });
    }
  });
  // A trailing `**` already takes a trailing slash.
  return segments[segments.length - 1] === '**' ? `${out}$` : `${out}/?$`;
}

/**
 * Why a path pattern is outside the syntax, or `undefined` when it is fine.
 *
 * @example
 * pathPatternProblem('/api/x**') // '"**" must be a whole segment (found "x**")'
 */
export function pathPatternProblem(pattern: string): string | undefined {
  if (!pattern.startsWith('/')) return 'must start with "/"';
  for (const segment of pattern.split('/').slice(1)) {
    if (segment.includes('**') && segment !== '**') return `"**" must be a whole segment (found "${segment}")`;
  }
  return undefined;
}
