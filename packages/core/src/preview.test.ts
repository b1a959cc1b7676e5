import { describe, expect, it } from 'vitest';
import { clipText, previewValue, PREVIEW_LENGTH } from './preview.js';

describe('previewValue', () => {
  it('shows a value as JSON, a string quoted', () => {
    expect(previewValue({ id: 7 })).toBe('{"id":7}');
    expect(previewValue('7')).toBe('"7"');
    expect(previewValue(null)).toBe('null');
  });

  it('cuts a long value to the preview length, ending in an ellipsis', () => {
    const shown = previewValue('x'.repeat(1000));
    expect(shown).toHaveLength(PREVIEW_LENGTH);
    expect(shown.endsWith('x…')).toBe(true);
    expect(previewValue({ a: 'y'.repeat(100) }, { max: 20 })).toBe('{"a":"yyyyyyyyyyyyy…');
  });

  it('names an absent value as the caller asks', () => {
    expect(previewValue(undefined)).toBe('nothing');
    expect(previewValue(undefined, { absent: '(absent)' })).toBe('(absent)');
  });

  it('shows what JSON cannot hold instead of throwing', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(previewValue(10n)).toBe('10');
    expect(previewValue(cyclic)).toBe('[object Object]');
  });
});

describe('clipText', () => {
  it('leaves a short text alone', () => {
    expect(clipText('short', 10)).toBe('short');
    expect(clipText('exactly10!', 10)).toBe('exactly10!');
    expect(clipText('eleven chars', 10)).toBe('eleven ch…');
  });
});
