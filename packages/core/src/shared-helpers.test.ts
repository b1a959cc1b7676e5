import { describe, expect, it } from 'vitest';
import { formatJsonPath, parseJsonPath } from './json-path.js';
import { appendPointer, splitPointer } from './json-pointer.js';
import { schemaViolationKey, splitBaseline, type SchemaViolation } from './results.js';
import { escapeRegex } from './text.js';
import { isObject } from './values.js';

const violation = (instancePath: string, rule = 'type', code = 'response.body.type'): SchemaViolation => ({
  code,
  severity: 'error',
  on: 'response',
  instancePath,
  schemaPath: '#/paths/~1x/get/responses/200',
  rule,
  message: `${instancePath} is wrong`,
});

describe('helpers shared by the packages', () => {
  it('escapeRegex makes every regex syntax character match itself', () => {
    const text = 'a.b*c+d?e^f$g{1}(h)|i[j]\\k/l-m';
    expect(new RegExp(`^${escapeRegex(text)}$`).test(text)).toBe(true);
    expect(new RegExp(`^${escapeRegex('a.b')}$`).test('axb')).toBe(false);
  });

  it('isObject accepts plain objects only', () => {
    expect(isObject({ a: 1 })).toBe(true);
    expect([null, [], 'x', 1, undefined].map(isObject)).toEqual([false, false, false, false, false]);
  });

  it('splitPointer decodes ~1 and ~0 (RFC 6901) and round-trips appendPointer', () => {
    expect(splitPointer('')).toEqual([]);
    expect(splitPointer('/a~1b/~0c/0')).toEqual(['a/b', '~c', '0']);
    expect(splitPointer(appendPointer('', 'x/y', '~z', 3))).toEqual(['x/y', '~z', '3']);
  });

  it('splitBaseline calls a candidate violation baseline only when the monolith has the same code, path and rule', () => {
    const shared = violation('/id');
    const otherRule = violation('/id', 'format');
    const own = violation('/email');
    const { baseline, regressions } = splitBaseline([violation('/id')], [shared, otherRule, own]);
    expect(baseline).toEqual([shared]);
    expect(regressions).toEqual([otherRule, own]);
    expect(schemaViolationKey(shared)).toBe(schemaViolationKey(violation('/id')));
    expect(schemaViolationKey(shared)).not.toBe(schemaViolationKey(violation('/id', 'type', 'request.body.type')));
  });
});

describe('result JSON paths', () => {
  it('parseJsonPath reads back every path formatJsonPath writes, quotes and backslashes included', () => {
    const segments = ['items', 0, 'first.name', "it's", 'a\\b', '$ref'];
    const path = formatJsonPath(segments);
    expect(path).toBe("$.items[0]['first.name']['it\\'s']['a\\\\b'].$ref");
    expect(parseJsonPath(path)).toEqual(['items', '0', 'first.name', "it's", 'a\\b', '$ref']);
    expect(parseJsonPath('status')).toBeUndefined();
  });
});
