import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPolicy } from '@cutover/gate';
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

  it('documents a minimal policy in the README that the gate accepts', async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const yaml = /A minimal policy[^\n]*\n\n```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(yaml).toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), 'cutover-readme-'));
    try {
      writeFileSync(join(dir, 'cutover.yaml'), yaml!);
      const policy = await loadPolicy(join(dir, 'cutover.yaml'));
      expect(policy.routes.map((route) => route.name)).toEqual(['orders']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
