import { describe, expect, it } from 'vitest';
import { applyMatcher, sniffContentType } from './matchers/apply.js';
import { describeBytes, sniffBinary } from './binary.js';
import { describeValue, showBody } from './mismatch.js';
import { ordinal } from './multi.js';

const bytes = (...parts: Array<number[] | string>) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

describe('sniffBinary', () => {
  it.each([
    ['image/png', bytes([0x89], 'PNG\r\n\x1a\n', [0, 0, 0, 13])],
    ['image/jpeg', bytes([0xff, 0xd8, 0xff, 0xdb, 0, 0x43])],
    ['image/gif', bytes('GIF89a', [1, 0, 1, 0])],
    ['image/gif', bytes('GIF87a', [1, 0])],
    ['image/webp', bytes('RIFF', [0x24, 0, 0, 0], 'WEBPVP8 ')],
    ['application/pdf', bytes('%PDF-1.7\n')],
    ['application/zip', bytes('PK', [3, 4, 20, 0])],
    ['application/gzip', bytes([0x1f, 0x8b, 8, 0])],
    ['image/tiff', bytes('II*', [0])],
    ['application/wasm', bytes([0], 'asm', [1, 0, 0, 0])],
  ])('recognises %s from its magic number', (type, data) => {
    expect(sniffBinary(data)).toBe(type);
    expect(sniffContentType(data)).toBe(type);
  });

  it('tells a RIFF WAVE from a RIFF WebP and knows nothing of plain bytes', () => {
    expect(sniffBinary(bytes('RIFF', [0, 0, 0, 0], 'WAVEfmt '))).toBe('audio/wav');
    expect(sniffBinary(bytes([1, 2, 3, 4, 5]))).toBeUndefined();
    expect(sniffBinary(bytes('RIFF'))).toBeUndefined();
  });

  it('sniffs bytes without a magic number as text when they are UTF-8, else as octet-stream', () => {
    expect(sniffContentType(bytes('{"a":1}'))).toBe('application/json');
    expect(sniffContentType(bytes('hello'))).toBe('text/plain');
    expect(sniffContentType(bytes([0xc3, 0x28, 0xa0, 0xa1]))).toBe('application/octet-stream');
  });
});

describe('binary values in sentences', () => {
  const png = bytes([0x89], 'PNG\r\n\x1a\n', [0, 0, 0, 13, 1]);

  it('shows bytes as "<N bytes of type>"', () => {
    expect(describeBytes(png)).toBe('<13 bytes of image/png>');
    expect(describeValue(bytes([7]))).toBe('<1 byte of application/octet-stream>');
    expect(showBody({ kind: 'present', content: png.toString('base64'), encoded: 'base64' })).toBe(
      '<13 bytes of image/png>',
    );
  });

  it('a contentType matcher on bytes says what the bytes are', () => {
    expect(applyMatcher({ type: 'contentType', value: 'image/png' }, png, png, false)).toBeUndefined();
    expect(applyMatcher({ type: 'contentType', value: 'application/pdf' }, png, png, false)).toEqual({
      expectation: 'to have content type application/pdf',
      found: '<13 bytes of image/png>',
    });
  });
});

describe('ordinal', () => {
  it.each([
    [1, '1st'],
    [2, '2nd'],
    [3, '3rd'],
    [4, '4th'],
    [11, '11th'],
    [12, '12th'],
    [13, '13th'],
    [21, '21st'],
    [102, '102nd'],
    [111, '111th'],
  ])('%i → %s', (n, text) => {
    expect(ordinal(n)).toBe(text);
  });
});
