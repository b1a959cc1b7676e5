/**
 * Finds where a pact's interaction lists sit in its bytes without parsing the interactions, so a
 * long pact can be kept as bytes (outside the JavaScript heap) and read one interaction at a time.
 * It only locates values: each one is still checked by `JSON.parse` when it is read.
 */

/** The pact with its interaction lists emptied, and where each list's elements were. */
export interface PactLayout {
  /** The pact's JSON with `interactions` and `messages` arrays written as `[]`. */
  header: string;
  /** Byte ranges `[start, end)` of each element, per list; a list that is not an array is absent. */
  lists: Map<string, { starts: number[]; ends: number[] }>;
}

const LISTS = new Set(['interactions', 'messages']);

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** Thrown inside the scanner when the bytes are not the JSON object it can lay out. */
class NotLaidOut extends Error {}

function isSpace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/**
 * Lays out a pact's bytes, or returns `undefined` when they are not a well-formed JSON object (the
 * caller then parses the whole text, which reports where it is broken). A leading UTF-8 byte-order
 * mark is skipped.
 */
export function scanPact(bytes: Uint8Array): PactLayout | undefined {
  try {
    return new Scanner(bytes).layout();
  } catch (error) {
    if (error instanceof NotLaidOut) return undefined;
    throw error;
  }
}

class Scanner {
  private at = 0;

  constructor(private readonly bytes: Uint8Array) {
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) this.at = 3;
  }

  layout(): PactLayout {
    const { bytes } = this;
    const lists = new Map<string, { starts: number[]; ends: number[] }>();
    const seen = new Set<string>();
    // Spans of the original bytes kept in the header: everything but the lists' contents.
    const kept: Array<[number, number]> = [];
    let keptFrom = this.at;

    this.space();
    this.expect(OPEN_BRACE);
    this.space();
    if (bytes[this.at] === CLOSE_BRACE) this.at++;
    else {
      for (;;) {
        this.space();
        const keyStart = this.at;
        this.string();
        const key = this.key(keyStart);
        this.space();
        this.expect(COLON);
        this.space();
        // A repeated list key is left to JSON.parse, which checks both values and keeps the last.
        if (LISTS.has(key)) {
          if (seen.has(key)) throw new NotLaidOut();
          seen.add(key);
        }
        if (LISTS.has(key) && bytes[this.at] === OPEN_BRACKET) {
          this.at++;
          kept.push([keptFrom, this.at]);
          lists.set(key, this.elements());
          keptFrom = this.at - 1; // the closing bracket
        } else this.value();
        this.space();
        if (bytes[this.at] === COMMA) {
          this.at++;
          continue;
        }
        this.expect(CLOSE_BRACE);
        break;
      }
    }
    kept.push([keptFrom, this.at]);
    this.space();
    if (this.at !== bytes.length) throw new NotLaidOut();

    const header = kept
      .map(([from, to]) => Buffer.from(bytes.buffer, bytes.byteOffset + from, to - from).toString('utf8'))
      .join('');
    return { header, lists };
  }

  /** The top-level key that ends at the current position; a key JSON.parse refuses is not laid out. */
  private key(start: number): string {
    const { bytes } = this;
    try {
      return JSON.parse(
        Buffer.from(bytes.buffer, bytes.byteOffset + start, this.at - start).toString('utf8'),
      ) as string;
    } catch {
      throw new NotLaidOut();
    }
  }

  /** Reads an array's elements up to and including its closing bracket. */
  private elements(): { starts: number[]; ends: number[] } {
    const starts: number[] = [];
    const ends: number[] = [];
    this.space();
    if (this.bytes[this.at] === CLOSE_BRACKET) {
      this.at++;
      return { starts, ends };
    }
    for (;;) {
      this.space();
      starts.push(this.at);
      this.value();
      ends.push(this.at);
      this.space();
      if (this.bytes[this.at] === COMMA) {
        this.at++;
        continue;
      }
      this.expect(CLOSE_BRACKET);
      return { starts, ends };
    }
  }

  /** Skips one value of any kind; scalars are delimited, not checked (JSON.parse checks them later). */
  private value(): void {
    const { bytes } = this;
    const first = bytes[this.at];
    if (first === QUOTE) return this.string();
    if (first === OPEN_BRACE || first === OPEN_BRACKET) return this.nested();
    const start = this.at;
    while (this.at < bytes.length) {
      const byte = bytes[this.at]!;
      if (byte === COMMA || byte === CLOSE_BRACE || byte === CLOSE_BRACKET || isSpace(byte)) break;
      this.at++;
    }
    if (this.at === start) throw new NotLaidOut();
  }

  /** Skips an object or array, strings inside included, by counting brackets. */
  private nested(): void {
    const { bytes } = this;
    let depth = 0;
    while (this.at < bytes.length) {
      const byte = bytes[this.at]!;
      if (byte === QUOTE) {
        this.string();
        continue;
      }
      this.at++;
      if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth++;
      else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
        if (--depth === 0) return;
      }
    }
    throw new NotLaidOut();
  }

  /** Skips a string, escapes included. UTF-8 continuation bytes never equal a quote or backslash. */
  private string(): void {
    const { bytes } = this;
    this.expect(QUOTE);
    while (this.at < bytes.length) {
      const byte = bytes[this.at++]!;
      if (byte === BACKSLASH) this.at++;
      else if (byte === QUOTE) return;
    }
    throw new NotLaidOut();
  }

  private space(): void {
    while (isSpace(this.bytes[this.at])) this.at++;
  }

  private expect(byte: number): void {
    if (this.bytes[this.at] !== byte) throw new NotLaidOut();
    this.at++;
  }
}
