import { DOMParser } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { ConfigError, describeError } from './errors.js';
import { escapeMarkdown, escapeXml, markdownCode, redactCredentials, visibleControls } from './text.js';

const HOSTILE = 'a\u001b[2J\u0007b\rc\u202ed\u2028e\ud800f\u007f\u0085';

describe('visibleControls', () => {
  it('shows ESC, BEL, CR, DEL, C1, bidi overrides, line separators and lone surrogates as \\u escapes', () => {
    expect(visibleControls(HOSTILE)).toBe('a\\u001b[2J\\u0007b\\u000dc\\u202ed\\u2028e\\ud800f\\u007f\\u0085');
  });

  it('keeps tabs, letters beyond ASCII and surrogate pairs, and newlines only when asked', () => {
    expect(visibleControls('tab\there ünï 🚀')).toBe('tab\there ünï 🚀');
    expect(visibleControls('a\nb')).toBe('a\\u000ab');
    expect(visibleControls('a\r\nb', { keepNewlines: true })).toBe('a\r\nb');
  });
});

describe('escapeMarkdown', () => {
  it('escapes emphasis, links, HTML, entities, code, strikethrough, math and table pipes', () => {
    expect(escapeMarkdown('**bold** [x](http://e) <img> &amp; `c` ~~s~~ $m$ a|b _i_ \\')).toBe(
      '\\*\\*bold\\*\\* \\[x\\](http://e) \\<img\\> \\&amp; \\`c\\` \\~\\~s\\~\\~ \\$m\\$ a\\|b \\_i\\_ \\\\',
    );
  });

  it('keeps a field on its line and shows other control characters', () => {
    expect(escapeMarkdown('one\r\n# two\u001b')).toBe('one # two\\\\u001b'); // renders as \u001b
  });
});

describe('markdownCode', () => {
  it('fences with more backticks than the text holds, so the span cannot be closed early', () => {
    expect(markdownCode('a`b')).toBe('`` a`b ``');
    expect(markdownCode('x ``` y')).toBe('```` x ``` y ````');
    expect(markdownCode('plain')).toBe('`plain`');
  });

  it('handles text with hundreds of thousands of backtick runs', () => {
    expect(markdownCode('a`'.repeat(300_000))).toMatch(/^`` a`a`/);
  });

  it('escapes pipes for a table cell only, and flattens newlines and controls', () => {
    expect(markdownCode('a|b')).toBe('`a\\|b`');
    expect(markdownCode('a|b', { table: false })).toBe('`a|b`');
    expect(markdownCode('a\nb\u0007')).toBe('`a b\\u0007`');
  });
});

describe('escapeXml', () => {
  it('escapes the special characters and keeps the document well-formed with any control character', () => {
    const text = `<x a="1"> & 'q' ${HOSTILE}\u0000\ufffe`;
    const escaped = escapeXml(text);
    expect(escaped).toContain('&lt;x a=&quot;1&quot;&gt; &amp; &apos;q&apos;');
    expect(escaped).toContain('\\u001b[2J\\u0007');
    const errors: string[] = [];
    const doc = new DOMParser({ onError: (level, message) => errors.push(`${level}: ${message}`) }).parseFromString(
      `<?xml version="1.0"?><r a="${escaped}">${escaped}</r>`,
      'text/xml',
    );
    expect(errors).toEqual([]);
    expect(doc.documentElement?.textContent).toContain('\\u0000');
  });
});

describe('redactCredentials', () => {
  it('hides user info and credential-like query parameters of every URL in a text', () => {
    expect(redactCredentials('GET http://ci:s3cret@broker:9292/pacts failed')).toBe(
      'GET http://***:***@broker:9292/pacts failed',
    );
    expect(redactCredentials('https://ghp_token@github.com/x and ws://u:p@h/')).toBe(
      'https://***@github.com/x and ws://***:***@h/',
    );
    expect(redactCredentials('http://u:p@ss@host/')).toBe('http://***:***@host/');
    expect(redactCredentials('see "http://h/state?access_token=abc&page=2", then')).toBe(
      'see "http://h/state?access_token=***&page=2", then',
    );
    expect(redactCredentials('http://u:p@h:99999: refused')).toBe('http://***@h:99999: refused');
  });

  it('leaves URLs without credentials, e-mail addresses and already redacted text alone', () => {
    const text = 'http://host/path?q=1 mail a@b.c http://***:***@h/ http://h:1234';
    expect(redactCredentials(text)).toBe(text);
  });

  it('takes linear time on text with many word boundaries or scheme-like runs', () => {
    const started = performance.now();
    for (const text of ['a.'.repeat(500_000), 'http://'.repeat(100_000), `${'x://a'.repeat(100_000)}@`])
      redactCredentials(text);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('applies to every coded error message and its string details, and to any error described', () => {
    const error = new ConfigError('cannot reach http://u:secret@h/x', { details: { url: 'http://u:secret@h/x' } });
    expect(error.message).toBe('cannot reach http://***:***@h/x');
    expect(error.details.url).toBe('http://***:***@h/x');
    expect(describeError(new TypeError('bad URL http://u:secret@h')).message).toBe('bad URL http://***:***@h/');
  });
});
