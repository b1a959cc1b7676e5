import { describe, expect, it } from 'vitest';
import { parseRoutePattern, pathMatchesPattern, pathPatternProblem, pathPatternRegex, routeMatches } from './routes.js';

describe('route patterns', () => {
  it.each([
    ['/api/tracking/**', '/api/tracking', true],
    ['/api/tracking/**', '/api/tracking/', true],
    ['/api/tracking/**', '/api/tracking/SHP-1/events', true],
    ['/api/tracking/**', '/api/trackingx', false],
    ['/api/tracking/*', '/api/tracking/SHP-1', true],
    ['/api/tracking/*', '/api/tracking/SHP-1/', true],
    ['/api/tracking/*', '/api/tracking', false],
    ['/api/tracking/*', '/api/tracking/SHP-1/events', false],
    ['/api/tracking/{id}', '/api/tracking/SHP-1', true],
    ['/api/tracking/:id/events', '/api/tracking/SHP-1/events', true],
    ['/api/tracking/{id}', '/api/tracking/a/b', false],
    ['/api/**/eta', '/api/eta', true],
    ['/api/**/eta', '/api/tracking/SHP-1/eta', true],
    ['/api/**/eta', '/api/tracking/SHP-1/events', false],
    ['/api/v1-*', '/api/v1-shipments', true],
    ['/api/v1-*', '/api/v1-', true],
    ['/api/v1-*', '/api/v2-shipments', false],
    ['/files/{name}.{ext}', '/files/report.pdf', true],
    ['/files/{name}.{ext}', '/files/report', false],
    ['/files/*.json', '/files/a.json', true],
    ['/files/*.json', '/files/a.jsonx', false],
    ['/api/exact', '/api/exact', true],
    ['/api/exact', '/api/exact/', true],
    ['/api/exact/', '/api/exact', true],
    ['/api/exact', '/api/exactly', false],
    ['/api/a.b', '/api/axb', false],
    ['/api/(x)+[y]$^|', '/api/(x)+[y]$^|', true],
    ['/**', '/anything/at/all', true],
    ['/', '/', true],
    ['/', '/x', false],
    ['/files/:name', '/files/report.xml', true],
    ['/files/:name.json', '/files/report.xml', false],
    ['/files/:name.json', '/files/:name.json', true],
  ])('%s on %s → %s', (pattern, path, expected) => {
    expect(pathMatchesPattern(pattern, path)).toBe(expected);
    // The expression handed to nginx and Envoy says the same.
    expect(new RegExp(pathPatternRegex(pattern)).test(path)).toBe(expected);
  });

  it('ignores the query string of the path matched, and of the pattern', () => {
    expect(pathMatchesPattern('/api/tracking/*', '/api/tracking/SHP-1?lang=en')).toBe(true);
    expect(routeMatches(parseRoutePattern('GET /search?q=1'), 'GET', '/search?q=2')).toBe(true);
  });

  it('writes expressions without look-arounds, which RE2 (Envoy) lacks', () => {
    for (const pattern of ['/api/**/eta', '/a/*/b/{id}.{ext}', '/**', '/x-*']) {
      expect(pathPatternRegex(pattern)).not.toMatch(/\(\?[=!<]/);
    }
  });

  it('matches the method when the pattern names one, in any case', () => {
    const get = parseRoutePattern('get /shipments/*');
    expect(get).toMatchObject({ method: 'GET', path: '/shipments/*' });
    expect(routeMatches(get, 'GET', '/shipments/SHP-1')).toBe(true);
    expect(routeMatches(get, 'post', '/shipments/SHP-1')).toBe(false);
    for (const any of ['/shipments/*', '* /shipments/*']) {
      expect(routeMatches(parseRoutePattern(any), 'DELETE', '/shipments/SHP-1')).toBe(true);
    }
  });

  it('says why a path pattern is outside the syntax', () => {
    expect(pathPatternProblem('api/x')).toBe('must start with "/"');
    expect(pathPatternProblem('/api/x**')).toBe('"**" must be a whole segment (found "x**")');
    expect(pathPatternProblem('/api/**/x/{id}')).toBeUndefined();
  });
});
