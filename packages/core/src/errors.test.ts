import { readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as errors from './errors.js';
import { CutoverError, ErrorCodes, PactLoadError, describeError, isCutoverError } from './errors.js';

describe('coded errors', () => {
  it('carries a stable code, details and the real cause', () => {
    const cause = new SyntaxError('Unexpected token');
    const error = new PactLoadError('pacts/a.json: not JSON', { cause, details: { source: 'pacts/a.json' } });
    expect(error.code).toBe(ErrorCodes.PACT_INVALID);
    expect(error.name).toBe('PactLoadError');
    expect(error.cause).toBe(cause);
    expect(error.details).toEqual({ source: 'pacts/a.json' });
    expect(isCutoverError(error)).toBe(true);
    expect(error).toBeInstanceOf(CutoverError);
  });

  it('describes foreign errors without losing their code', () => {
    const econn = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(describeError(econn)).toEqual({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' });
    expect(describeError('boom')).toEqual({ message: 'boom' });
  });
});

describe('the error code registry', () => {
  const repo = fileURLToPath(new URL('../../../', import.meta.url));
  const registered = new Set<string>(Object.values(ErrorCodes));

  function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
    return readdirSync(join(repo, dir), { recursive: true, encoding: 'utf8' })
      .filter((name) => !name.split(sep).includes('node_modules') && !name.split(sep).includes('dist'))
      .filter(keep)
      .map((name) => join(dir, name));
  }

  it('documents every registered code in the core README, with the class that raises it', () => {
    const readme = readFileSync(join(repo, 'packages/core/README.md'), 'utf8');
    const table = new Map(
      [...readme.matchAll(/^\| `(CUTOVER_[A-Z_]+)` \| ([^|]+) \| ([^|]+) \|$/gm)].map((m) => [m[1]!, m[2]!.trim()]),
    );
    expect([...table.keys()].sort()).toEqual([...registered].sort());
    for (const [code, klass] of table) {
      const name = /^`(\w+)`/.exec(klass)?.[1];
      if (name === undefined || name === 'BrokerError') continue;
      const Class = (errors as Record<string, unknown>)[name] as (new (message: string) => CutoverError) | undefined;
      expect(Class, `${code}: ${name} is exported by @cutover/core`).toBeTypeOf('function');
      expect(new Class!('x').code).toBe(code);
    }
  });

  it('registers every CUTOVER_ code that the sources raise or write', () => {
    const sources = filesUnder('packages', (name) => name.endsWith('.ts') && !name.endsWith('.test.ts'));
    const unregistered: string[] = [];
    for (const file of sources) {
      const text = readFileSync(join(repo, file), 'utf8');
      // A code in code is a quoted literal; environment variables (CUTOVER_DEBUG, the broker's) are read unquoted.
      for (const [, code] of text.matchAll(/['"`](CUTOVER_[A-Z_]+)['"`]/g))
        if (!registered.has(code!)) unregistered.push(`${file}: ${code}`);
    }
    expect(unregistered).toEqual([]);
  });
});
