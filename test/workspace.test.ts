import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('workspace', () => {
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
