import { describe, expect, it } from 'vitest';
import { scanPact } from './scan.js';

/** Rebuilds the document from a layout: the header with each list refilled from its byte ranges. */
function rebuild(text: string): unknown {
  const bytes = Buffer.from(text, 'utf8');
  const layout = scanPact(bytes);
  if (!layout) return undefined;
  const doc = JSON.parse(layout.header) as Record<string, unknown>;
  for (const [key, { starts, ends }] of layout.lists) {
    expect(doc[key]).toEqual([]);
    doc[key] = starts.map((start, i) => JSON.parse(bytes.toString('utf8', start, ends[i])) as unknown);
  }
  return doc;
}

/** A small deterministic generator, so a failure names a seed that reproduces it. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

const nasty = ['', 'a', '"', '\\', '{', '}', '[', ']', ',', ':', 'é', '日本', '😀', '\n', '\u0000', 'interactions'];

function value(next: () => number, depth: number): unknown {
  const kind = Math.floor(next() * (depth > 3 ? 4 : 6));
  const text = () =>
    Array.from({ length: Math.floor(next() * 4) }, () => nasty[Math.floor(next() * nasty.length)]).join('');
  if (kind === 0) return text();
  if (kind === 1) return Math.floor(next() * 2000) - 1000 + (next() < 0.3 ? 0.25 : 0);
  if (kind === 2) return next() < 0.5;
  if (kind === 3) return null;
  if (kind === 4) return Array.from({ length: Math.floor(next() * 4) }, () => value(next, depth + 1));
  return Object.fromEntries(Array.from({ length: Math.floor(next() * 4) }, () => [text(), value(next, depth + 1)]));
}

describe('scanPact', () => {
  it('locates every element of the interaction and message lists and empties them in the header', () => {
    const doc = {
      consumer: { name: 'c' },
      interactions: [{ description: 'a' }, 'not an object', 42, null, [1, [2]], { nested: { interactions: [9] } }],
      provider: { name: 'p' },
      messages: [{ description: 'm' }],
      metadata: { interactions: 'not the list' },
    };
    for (const text of [JSON.stringify(doc), JSON.stringify(doc, null, 2), JSON.stringify(doc, null, '\t')]) {
      expect(rebuild(text)).toEqual(doc);
      expect(JSON.parse(scanPact(Buffer.from(text))!.header)).toMatchObject({ interactions: [], messages: [] });
    }
  });

  it('is not misled by brackets, quotes, backslashes and multi-byte characters inside strings', () => {
    const doc = {
      consumer: { name: 'c "quoted" \\ ] } [ {' },
      interactions: [{ description: '] , [ " \\" \\\\', body: '日本語 😀 é' }, { description: '\\' }],
    };
    expect(rebuild(JSON.stringify(doc))).toEqual(doc);
  });

  it('agrees with JSON.parse on generated documents', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const next = random(seed);
      const doc = {
        [nasty[seed % nasty.length]!]: value(next, 0),
        interactions: Array.from({ length: Math.floor(next() * 5) }, () => value(next, 1)),
        messages: Array.from({ length: Math.floor(next() * 3) }, () => value(next, 1)),
      };
      const text = seed % 2 === 0 ? JSON.stringify(doc) : JSON.stringify(doc, null, seed % 4);
      expect({ seed, doc: rebuild(text) }).toEqual({ seed, doc: JSON.parse(text) });
    }
  });

  it('reads a key written with escapes, and leaves a repeated list or a key it cannot read to JSON.parse', () => {
    const escaped = '{"\\u0069nteractions":[{"a":1}],"provider":{}}';
    expect(rebuild(escaped)).toEqual(JSON.parse(escaped));
    // Laying out only the last copy would leave the first one unchecked.
    expect(scanPact(Buffer.from('{"interactions":[{"x":tru}],"interactions":[{"a":1}]}'))).toBeUndefined();
    expect(scanPact(Buffer.from('{"messages":{},"messages":[1]}'))).toBeUndefined();
    expect(scanPact(Buffer.from('{"\\q":1,"interactions":[]}'))).toBeUndefined();
  });

  it('leaves a list that is not an array in the header, for the loader to refuse', () => {
    const layout = scanPact(Buffer.from('{"interactions":{"a":1},"messages":"x"}'))!;
    expect(layout.lists.size).toBe(0);
    expect(JSON.parse(layout.header)).toEqual({ interactions: { a: 1 }, messages: 'x' });
  });

  it('skips a UTF-8 byte-order mark', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"interactions":[1,2]}')]);
    expect(scanPact(bytes)?.lists.get('interactions')?.starts).toHaveLength(2);
  });

  it('gives up on bytes that are not one well-formed JSON object, so the caller reports the error', () => {
    const text = JSON.stringify({ consumer: { name: 'c' }, interactions: [{ description: 'a', n: [1, 2] }] });
    // Every truncation: a shorter pact must never be laid out as if it were whole.
    for (let length = 0; length < text.length; length++) {
      const layout = scanPact(Buffer.from(text.slice(0, length)));
      if (layout) expect(() => rebuild(text.slice(0, length))).toThrow();
    }
    for (const broken of ['[1,2]', '"text"', '{"a":1} {"b":2}', '{"a" 1}', '{"a":1,}', '{"interactions":[1 2]}', '']) {
      expect(scanPact(Buffer.from(broken)), broken).toBeUndefined();
    }
  });
});
