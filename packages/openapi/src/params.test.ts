import { describe, expect, it } from 'vitest';
import { parseCookieHeader, readPathValue, readQueryValue, readStyled, shapeOf, type ShapeInfo } from './params.js';

const resolve = (s: unknown) => s as Record<string, unknown> | undefined;
const ints: ShapeInfo = shapeOf({ type: 'array', items: { type: 'integer' } }, resolve);
const point: ShapeInfo = shapeOf(
  { type: 'object', properties: { x: { type: 'number' }, tag: { type: 'string' } } },
  resolve,
);

describe('parameter deserialization', () => {
  it('reads path parameters in simple, label and matrix styles, exploded or not', () => {
    expect(readPathValue('id', '3,4', 'simple', false, ints)).toEqual([3, 4]);
    expect(readPathValue('id', '.3.4', 'label', true, ints)).toEqual([3, 4]);
    expect(readPathValue('id', '.3,4', 'label', false, ints)).toEqual([3, 4]);
    expect(readPathValue('id', ';id=3,4', 'matrix', false, ints)).toEqual([3, 4]);
    expect(readPathValue('id', ';id=3;id=4', 'matrix', true, ints)).toEqual([3, 4]);
    expect(readPathValue('p', ';x=1.5;tag=a', 'matrix', true, point)).toEqual({ x: 1.5, tag: 'a' });
    expect(readPathValue('p', 'x,1.5,tag,a', 'simple', false, point)).toEqual({ x: 1.5, tag: 'a' });
    expect(readPathValue('p', 'x=1.5,tag=a', 'simple', true, point)).toEqual({ x: 1.5, tag: 'a' });
  });

  it('reads query arrays and objects in form, spaceDelimited, pipeDelimited and deepObject styles', () => {
    const consumed = new Set<string>();
    expect(readQueryValue('ids', { ids: ['1', '2'] }, 'form', true, ints, consumed)).toEqual([1, 2]);
    expect(readQueryValue('ids', { ids: ['1,2'] }, 'form', false, ints, consumed)).toEqual([1, 2]);
    expect(readQueryValue('ids', { ids: ['1 2'] }, 'spaceDelimited', false, ints, consumed)).toEqual([1, 2]);
    expect(readQueryValue('ids', { ids: ['1|2'] }, 'pipeDelimited', false, ints, consumed)).toEqual([1, 2]);
    expect(readQueryValue('p', { x: ['2'], tag: ['b'], other: ['z'] }, 'form', true, point, consumed)).toEqual({
      x: 2,
      tag: 'b',
    });
    expect(readQueryValue('p', { 'p[x]': ['2'] }, 'deepObject', true, point, consumed)).toEqual({ x: 2 });
    expect(readQueryValue('p', {}, 'deepObject', true, point, consumed)).toBeUndefined();
    expect([...consumed].sort()).toEqual(['ids', 'p[x]', 'tag', 'x']);
  });

  it('leaves values that do not read as the declared type as strings, for the schema to reject', () => {
    expect(readStyled('abc', ',', false, shapeOf({ type: 'integer' }, resolve))).toBe('abc');
    expect(readStyled('true', ',', false, shapeOf({ type: 'boolean' }, resolve))).toBe(true);
    expect(readStyled('007', ',', false, shapeOf({ type: 'integer' }, resolve))).toBe(7);
    expect(readStyled('1.', ',', false, shapeOf({ type: 'number' }, resolve))).toBe('1.');
    expect(readStyled('1e3', ',', false, shapeOf({ oneOf: [{ type: 'number' }, { type: 'string' }] }, resolve))).toBe(
      1000,
    );
  });

  it('parses Cookie headers', () => {
    expect(parseCookieHeader(['a=1; b=two', 'c=3'])).toEqual({ a: '1', b: 'two', c: '3' });
  });
});
