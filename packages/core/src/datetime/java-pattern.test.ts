import { describe, expect, it } from 'vitest';
import { tokenizeJavaPattern } from './java-pattern.js';

describe('tokenizeJavaPattern', () => {
  it('splits letters, quoted text, doubled quotes and punctuation', () => {
    expect(tokenizeJavaPattern("yyyy-MM-dd'T'HH''")).toEqual([
      { kind: 'field', letter: 'y', count: 4 },
      { kind: 'literal', text: '-' },
      { kind: 'field', letter: 'M', count: 2 },
      { kind: 'literal', text: '-' },
      { kind: 'field', letter: 'd', count: 2 },
      { kind: 'literal', text: 'T' },
      { kind: 'field', letter: 'H', count: 2 },
      { kind: 'literal', text: "'" },
    ]);
  });

  it('reads optional sections', () => {
    expect(tokenizeJavaPattern('ss[.SSS]')).toEqual([
      { kind: 'field', letter: 's', count: 2 },
      {
        kind: 'optional',
        tokens: [
          { kind: 'literal', text: '.' },
          { kind: 'field', letter: 'S', count: 3 },
        ],
      },
    ]);
  });

  it('refuses unterminated quotes and sections, naming the pattern', () => {
    expect(() => tokenizeJavaPattern("HH 'oclock")).toThrow(/unterminated quote in date\/time format 'HH 'oclock'/);
    expect(() => tokenizeJavaPattern('ss[.SSS')).toThrow(/unterminated optional section/);
  });
});
