import { describe, expect, it } from 'vitest';
import { CutoverError, ErrorCodes } from './errors.js';
import { parseYaml, yamlLocator, YAML_MIN_EXPANDED_VALUES } from './yaml.js';

/** A classic "billion laughs": nine levels of nine aliases each, 9^9 strings from about 430 bytes. */
const BILLION_LAUGHS = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...'bcdefghi'.split('').map((name, i) => `${name}: &${name} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`),
  'j: *i',
].join('\n');

function thrown(fn: () => unknown): CutoverError {
  try {
    fn();
  } catch (error) {
    return error as CutoverError;
  }
  throw new Error('expected an error');
}

describe('parseYaml', () => {
  it('reads YAML and JSON with the YAML 1.2 core schema (dates stay strings, << is a plain key)', () => {
    expect(parseYaml('a: 1\nb: 2024-01-01\nc: [x, ~]\n', { source: 'x.yaml' })).toEqual({
      a: 1,
      b: '2024-01-01',
      c: ['x', null],
    });
    expect(parseYaml('base: &b {x: 1}\nuse: {<<: *b}\n', { source: 'x.yaml' })).toEqual({
      base: { x: 1 },
      use: { '<<': { x: 1 } },
    });
    expect(parseYaml('{"a": [1, 2]}', { source: 'x.json' })).toEqual({ a: [1, 2] });
    // Not strict JSON, still YAML.
    expect(parseYaml('{a: 1, }', { source: 'x.json' })).toEqual({ a: 1 });
  });

  it('keeps legitimate anchors and aliases', () => {
    const value = parseYaml('err: &e {description: failed}\nr1: *e\nr2: *e\n', { source: 'x.yaml' });
    expect(value).toEqual({
      err: { description: 'failed' },
      r1: { description: 'failed' },
      r2: { description: 'failed' },
    });
  });

  it('refuses a billion-laughs alias bomb fast, with the caller’s code and the file named', () => {
    expect(BILLION_LAUGHS.length).toBeLessThan(500);
    const started = performance.now();
    const error = thrown(() =>
      parseYaml(BILLION_LAUGHS, {
        source: 'api/openapi.yaml',
        what: 'the OpenAPI document',
        code: ErrorCodes.OPENAPI_INVALID,
      }),
    );
    expect(performance.now() - started).toBeLessThan(1000);
    expect(error).toBeInstanceOf(CutoverError);
    expect(error.code).toBe('CUTOVER_OPENAPI_INVALID');
    expect(error.message).toBe(
      `api/openapi.yaml: the OpenAPI document is refused: its YAML aliases expand it to more than ${YAML_MIN_EXPANDED_VALUES.toLocaleString('en-US')} values (an alias bomb)`,
    );
    expect(error.details).toEqual({ file: 'api/openapi.yaml', limit: YAML_MIN_EXPANDED_VALUES });
  });

  it('allows expansion up to the text length for large texts, and no further', () => {
    // 2,000 lines, each aliasing a 100-value list: 200,000 values from about 16 KB (limit 100,000).
    const list = `l: &l [${Array(100).fill('1').join(',')}]\n`;
    const many = list + Array.from({ length: 2000 }, (_, i) => `k${i}: *l`).join('\n');
    expect(thrown(() => parseYaml(many, { source: 'big.yaml' })).code).toBe('CUTOVER_CONFIG_INVALID');
    // The same expansion in a text longer than the values it expands to is accepted.
    const padded = many + '\n' + `pad: "${'x'.repeat(200_000)}"`;
    expect(Object.keys(parseYaml(padded, { source: 'big.yaml' }) as object)).toHaveLength(2002);
  });

  it('refuses an alias that refers to the node containing it', () => {
    const error = thrown(() => parseYaml('a: &a [1, *a]\n', { source: 'loop.yaml', what: 'the policy' }));
    expect(error.code).toBe('CUTOVER_CONFIG_INVALID');
    expect(error.message).toBe(
      'loop.yaml: the policy is refused: a YAML alias refers to a node that contains it (recursive data)',
    );
  });

  it('names the file, line and column of a syntax error and keeps the cause', () => {
    const error = thrown(() => parseYaml('a: 1\nb: [unclosed\n', { source: 'bad.yaml', what: 'the policy' }));
    expect(error.code).toBe('CUTOVER_CONFIG_INVALID');
    expect(error.message).toMatch(/^bad\.yaml:3:1: the policy is not valid YAML or JSON: /);
    expect(error.details).toMatchObject({ file: 'bad.yaml', line: 3, column: 1 });
    expect(error.cause).toBeInstanceOf(Error);
    expect(thrown(() => parseYaml('a: 1\na: 2\n', { source: 'dup.yaml' })).message).toMatch(/duplicated mapping key/);
  });
});

describe('yamlLocator', () => {
  it('gives the line and column of the deepest existing node of a path', () => {
    const locate = yamlLocator('routes:\n  - name: a\n    path: /x\n');
    expect(locate(['routes', 0, 'path'])).toEqual({ line: 3, column: 11 });
    expect(locate(['routes', 0, 'missing'])).toEqual({ line: 2, column: 5 });
  });
});
