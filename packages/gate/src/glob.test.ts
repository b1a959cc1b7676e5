import { describe, expect, it } from 'vitest';
import { globToRegex, pathMatches, patternsOverlap, templateToRegExp, templateUnderPattern } from './glob.js';

describe('patternsOverlap', () => {
  it.each([
    ['/api/tracking/**', '/api/tracking/*/events', true],
    ['/api/tracking/**', '/api/tracking', true],
    ['/api/tracking/**', '/api/auth/**', false],
    ['/api/*/x', '/api/tracking/*', true],
    ['/api/*/x', '/api/tracking/y', false],
    ['/api/**/eta', '/api/tracking/*', true],
    ['/api/**/eta', '/api/tracking/*/events', false],
    ['/api/v1-*', '/api/v2-*', false],
    ['/api/*.json', '/api/*.xml', false],
    ['/api/a*', '/api/*b', true],
    ['/a', '/a/b', false],
    ['/**', '/anything/at/all', true],
  ])('%s vs %s → %s', (a, b, expected) => {
    expect(patternsOverlap(a, b)).toBe(expected);
    expect(patternsOverlap(b, a)).toBe(expected);
  });
});

describe('globToRegex agrees with picomatch', () => {
  const patterns = [
    '/api/tracking/**',
    '/api/tracking/*',
    '/api/*/events',
    '/api/**/eta',
    '/api/v1-*',
    '/api/exact',
    '/**',
  ];
  const paths = [
    '/api/tracking',
    '/api/tracking/',
    '/api/tracking/SHP-1',
    '/api/tracking/SHP-1/',
    '/api/tracking/SHP-1/events',
    '/api/tracking/SHP-1/eta',
    '/api/trackingx',
    '/api/eta',
    '/api/v1-shipments',
    '/api/v2-shipments',
    '/api/exact',
    '/api/exact/',
    '/api/a.b/events',
    '/',
  ];
  for (const pattern of patterns) {
    it(`${pattern} → ${globToRegex(pattern)}`, () => {
      const re = new RegExp(globToRegex(pattern));
      for (const path of paths) expect([path, re.test(path)]).toEqual([path, pathMatches(pattern, path)]);
    });
  }

  it('produces no look-arounds (RE2, used by Envoy, has none)', () => {
    for (const pattern of patterns) expect(globToRegex(pattern)).not.toMatch(/\(\?[=!<]/);
  });
});

describe('OpenAPI templates', () => {
  it('puts a template under a pattern only when every concrete path is under it', () => {
    expect(templateUnderPattern('/api/tracking/**', '/api/tracking/{id}')).toBe(true);
    expect(templateUnderPattern('/api/tracking/**', '/api/tracking/{id}/events')).toBe(true);
    expect(templateUnderPattern('/api/tracking/**', '/api/{section}')).toBe(false);
    expect(templateUnderPattern('/api/tracking/**', '/api/shipments')).toBe(false);
  });

  it('matches concrete paths against a template', () => {
    const re = templateToRegExp('/api/tracking/{id}/events');
    expect(re.test('/api/tracking/SHP-1/events')).toBe(true);
    expect(re.test('/api/tracking/SHP-1/eta')).toBe(false);
    expect(re.test('/api/tracking/a/b/events')).toBe(false);
  });
});
