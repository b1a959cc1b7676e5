import { describe, expect, it } from 'vitest';
import { pathMatchesPattern, pathPatternRegex } from '@cutover/core';
import { patternsOverlap, templateUnderPattern } from './route-patterns.js';

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
    ['/api/tracking/{id}', '/api/tracking/*', true],
    ['/api/tracking/{id}', '/api/tracking/SHP-1/events', false],
    ['/api/tracking/:id/events', '/api/tracking/*/events', true],
    ['/api/files/{name}.json', '/api/files/*.xml', false],
    ['/api/exact/', '/api/exact', true],
  ])('%s vs %s → %s', (a, b, expected) => {
    expect(patternsOverlap(a, b)).toBe(expected);
    expect(patternsOverlap(b, a)).toBe(expected);
  });
});

describe('pathPatternRegex and pathMatchesPattern: one expression for the decision and the gateway', () => {
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
  const expected: Record<string, string[]> = {
    '/api/tracking/**': paths.slice(0, 6),
    '/api/tracking/*': ['/api/tracking/SHP-1', '/api/tracking/SHP-1/'],
    '/api/tracking/{id}': ['/api/tracking/SHP-1', '/api/tracking/SHP-1/'],
    '/api/*/events': ['/api/a.b/events'],
    '/api/**/eta': ['/api/tracking/SHP-1/eta', '/api/eta'],
    '/api/v1-*': ['/api/v1-shipments'],
    '/api/exact': ['/api/exact', '/api/exact/'],
    '/**': paths,
  };
  for (const [pattern, matching] of Object.entries(expected)) {
    it(`${pattern} → ${pathPatternRegex(pattern)}`, () => {
      const re = new RegExp(pathPatternRegex(pattern));
      for (const path of paths) {
        const want = matching.includes(path);
        expect([path, pathMatchesPattern(pattern, path)]).toEqual([path, want]);
        expect([path, re.test(path)]).toEqual([path, want]);
      }
    });
  }

  it('produces no look-arounds (RE2, used by Envoy, has none)', () => {
    for (const pattern of Object.keys(expected)) expect(pathPatternRegex(pattern)).not.toMatch(/\(\?[=!<]/);
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
    const template = '/api/tracking/{id}/events';
    expect(pathMatchesPattern(template, '/api/tracking/SHP-1/events')).toBe(true);
    expect(pathMatchesPattern(template, '/api/tracking/SHP-1/eta')).toBe(false);
    expect(pathMatchesPattern(template, '/api/tracking/a/b/events')).toBe(false);
  });
});
