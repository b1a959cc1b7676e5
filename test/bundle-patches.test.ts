import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script of the build, without type declarations
import { lazyStringWidth } from '../scripts/bundle-patches.mjs';

const dir = mkdtempSync(join(tmpdir(), 'cutover-bundle-patches-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The module `contents` (resolving imports from `resolveDir`) as one self-contained ES module, imported. */
async function load(contents: string, resolveDir: string, name: string): Promise<Record<string, unknown>> {
  const built = await esbuild.build({
    stdin: { contents, resolveDir, loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    write: false,
    logLevel: 'silent',
  });
  const file = join(dir, `${name}.mjs`);
  writeFileSync(file, built.outputFiles[0]!.text);
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}

describe('the bundle patches of third-party modules', () => {
  it('string-width builds its segmenter and Unicode regexes on first use and measures every string as the original does', async () => {
    const file = createRequire(import.meta.url).resolve('yargs/package.json');
    const stringWidth = join(dirname(file), 'node_modules', 'string-width', 'index.js');
    const source = readFileSync(stringWidth, 'utf8');
    const patched = lazyStringWidth(source) as { contents?: string; problem?: string };
    expect(patched.problem).toBeUndefined();
    // Nothing heavy is left at the top level: each is a function call now.
    expect(patched.contents).not.toMatch(/^const (segmenter|rgiEmojiRegex) = /m);
    const original = (await load(source, dirname(stringWidth), 'original')).default as (
      s: string,
      o?: object,
    ) => number;
    const lazy = (await load(patched.contents!, dirname(stringWidth), 'patched')).default as (
      s: string,
      o?: object,
    ) => number;
    const corpus = [
      '',
      'plain ASCII text',
      'tab\tand\u0007bell',
      '\u001b[31mred\u001b[39m',
      'café', // combining accent below
      'cafe\u0301',
      '日本語のテキスト',
      'ｶﾞｷﾞｸﾞ', // halfwidth kana with dakuten
      '한국어 각', // Hangul syllables and jamo
      '👍🏽 👨‍👩‍👧 🇫🇷 1️⃣ #⃣',
      '\u200b\u200d\u2060', // zero-width
      'Ω≈ç√∫˜µ≤≥÷ — … → ×',
      'ﷺ and ꧅',
    ];
    for (const text of corpus) {
      for (const options of [undefined, { ambiguousIsNarrow: false }, { countAnsiEscapeCodes: true }]) {
        expect(lazy(text, options), JSON.stringify({ text, options })).toBe(original(text, options));
      }
    }
  });

  it('string-width: a source whose shape changed is reported, not patched', () => {
    expect(lazyStringWidth('const segmenter = new Intl.Segmenter();\nexport default () => 0;')).toEqual({
      problem: expect.stringContaining('visibleCharacterRegex'),
    });
  });
});
