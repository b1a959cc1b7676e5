import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('workspace', () => {
  it('installs the cutover command for npx (the launcher in node_modules/.bin)', () => {
    const bin = fileURLToPath(new URL('../node_modules/.bin/cutover', import.meta.url));
    const out = execFileSync(bin, ['--version'], { encoding: 'utf8' });
    const { version } = JSON.parse(readFileSync(new URL('../packages/cli/package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(out.trim()).toBe(version);
  });

  it('exposes @cutover/core to plain node after install', () => {
    const out = execFileSync(
      process.execPath,
      ['-e', "import('@cutover/core').then(m => console.log(m.ErrorCodes.PACT_INVALID))"],
      {
        encoding: 'utf8',
      },
    );
    expect(out.trim()).toBe('CUTOVER_PACT_INVALID');
  });
});
