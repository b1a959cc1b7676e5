import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress } from './progress.js';

function stream(isTTY: boolean) {
  const s = new PassThrough() as PassThrough & { isTTY?: boolean; columns?: number };
  s.isTTY = isTTY;
  s.columns = 80;
  let text = '';
  s.on('data', (c: Buffer) => (text += c.toString()));
  return { s, text: () => text };
}

describe('createProgress', () => {
  it('draws a bar on a terminal', () => {
    const { s, text } = stream(true);
    const progress = createProgress(s, {});
    progress.update(0, 10);
    progress.update(10, 10);
    progress.stop();
    expect(text()).toContain('interactions');
  });

  it('stays silent in CI and when the output is not a terminal', () => {
    for (const [tty, env] of [
      [true, { CI: 'true' }],
      [false, {}],
    ] as const) {
      const { s, text } = stream(tty);
      const progress = createProgress(s, env);
      progress.update(0, 10);
      progress.update(10, 10);
      progress.stop();
      expect(text()).toBe('');
    }
  });
});
