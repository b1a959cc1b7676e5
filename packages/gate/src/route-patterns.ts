import { isSegmentWildcard, pathMatchesPattern } from '@cutover/core';

/*
 * Route path patterns are core's (`@cutover/core` routes: `pathMatchesPattern`, `pathPatternRegex`,
 * `pathPatternProblem`), so the gate decides with the same regular expression it writes into the
 * nginx and Envoy configuration. What only the gate needs lives here: whether two policy patterns
 * overlap, and whether an OpenAPI template lies under a pattern.
 */

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

/** A segment with every wildcard written as `*` (`{id}` allows one character more: conservative). */
function starred(segment: string): string {
  return isSegmentWildcard(segment) ? '*' : segment.replace(/\{[^{}/]+\}/g, '*');
}

function segmentsOverlap(a: string, b: string): boolean {
  if (!hasGlob(a) && !hasGlob(b)) return a === b;
  if (!hasGlob(a)) return pathMatchesPattern(`/${b}`, `/${a}`);
  if (!hasGlob(b)) return pathMatchesPattern(`/${a}`, `/${b}`);
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
  const segments = (pattern: string) => pattern.replace(/\/+$/, '').split('/').slice(1).map(starred);
  const sa = segments(a);
  const sb = segments(b);
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
  return pathMatchesPattern(pattern, template.replace(/\{[^}/]+\}/g, 'cutover-param'));
}
