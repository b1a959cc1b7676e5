import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDynamicPattern } from 'tinyglobby';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCutoverError } from '../errors.js';
import { MAY_BE_GLOB, resolvePactFiles } from './files.js';

describe('resolvePactFiles', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cutover-pact-files-'));
    mkdirSync(join(dir, 'team', 'nested'), { recursive: true });
    for (const file of ['a.json', 'b.json', 'team/c.json', 'team/nested/d.json', 'team/notes.txt', 'odd (1).json']) {
      writeFileSync(join(dir, file), '{}');
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('returns plain file paths as absolute paths, sorted and without duplicates', async () => {
    expect(await resolvePactFiles(['b.json', 'a.json', './b.json'], dir)).toEqual([
      join(dir, 'a.json'),
      join(dir, 'b.json'),
    ]);
  });

  it('expands a folder to every .json file below it, at any depth', async () => {
    expect(await resolvePactFiles(['team'], dir)).toEqual([join(dir, 'team/c.json'), join(dir, 'team/nested/d.json')]);
  });

  it('expands globs and merges them with files and folders', async () => {
    expect(await resolvePactFiles(['*.json', 'team'], dir)).toEqual([
      join(dir, 'a.json'),
      join(dir, 'b.json'),
      join(dir, 'odd (1).json'),
      join(dir, 'team/c.json'),
      join(dir, 'team/nested/d.json'),
    ]);
  });

  it('takes a file named like a pattern (`odd (1).json`) as named when, read as a glob, it matches nothing', async () => {
    expect(await resolvePactFiles(['odd (1).json'], dir)).toEqual([join(dir, 'odd (1).json')]);
  });

  it('refuses a missing path, a glob that matches nothing and a folder without pacts, with usage errors', async () => {
    for (const [input, message] of [
      ['missing.json', /missing\.json does not exist/],
      ['*.yaml', /the glob matches no file/],
      ['team/nested/../../team/nested/none*', /the glob matches no file/],
    ] as const) {
      const error = await resolvePactFiles([input], dir).catch((e: unknown) => e);
      expect(isCutoverError(error) && error.code).toBe('CUTOVER_USAGE');
      expect((error as Error).message).toMatch(message);
    }
    mkdirSync(join(dir, 'empty'), { recursive: true });
    await expect(resolvePactFiles(['empty'], dir)).rejects.toThrow(/holds no \.json pact file/);
  });
});

describe('MAY_BE_GLOB', () => {
  it('matches every pattern the glob library finds dynamic, so skipping it for the rest changes nothing', () => {
    const alphabet = [
      'a',
      '/',
      '.',
      '-',
      ' ',
      '*',
      '?',
      '[',
      ']',
      '{',
      '}',
      '(',
      ')',
      '!',
      '+',
      '@',
      '\\',
      ',',
      '|',
      '^',
      '$',
    ];
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    let dynamic = 0;
    for (let i = 0; i < 20_000; i++) {
      const length = 1 + Math.floor(random() * 8);
      const pattern = Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      if (!isDynamicPattern(pattern)) continue;
      dynamic++;
      expect(MAY_BE_GLOB.test(pattern), pattern).toBe(true);
    }
    expect(dynamic).toBeGreaterThan(1_000);
    expect(MAY_BE_GLOB.test('pacts/web-app-logistics.json')).toBe(false);
  });
});
