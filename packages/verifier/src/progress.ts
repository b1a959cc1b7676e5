import type { Writable } from 'node:stream';
import { createRequire } from 'node:module';
import type * as CliProgress from 'cli-progress';

export interface Progress {
  /** Pass as `VerifyOptions.onProgress`. */
  update(done: number, total: number): void;
  stop(): void;
}

/**
 * A progress bar on an interactive terminal, and nothing at all elsewhere (CI logs, pipes, files).
 *
 * @example
 * const progress = createProgress(process.stderr, process.env);
 * const report = await runVerify({ ...options, onProgress: progress.update });
 * progress.stop();
 */
export function createProgress(stream: Writable & { isTTY?: boolean }, env: NodeJS.ProcessEnv): Progress {
  if (!stream.isTTY || env.CI) return { update: () => undefined, stop: () => undefined };
  // Loaded only for a terminal: CI runs never pay for it.
  const { SingleBar } = createRequire(import.meta.url)('cli-progress') as typeof CliProgress;
  const bar = new SingleBar({
    stream,
    format: 'verify [{bar}] {value}/{total} interactions',
    hideCursor: true,
    clearOnComplete: true,
  });
  let started = false;
  return {
    update(done, total) {
      if (!started) {
        bar.start(total, done);
        started = true;
      } else bar.update(done);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
