import { spawn, type ChildProcess } from 'node:child_process';
import { CLI, ROOT, type RunResult } from './cli.js';

export interface BackgroundCutover {
  child: ChildProcess;
  /** The first match of `pattern` in stdout. */
  match: RegExpExecArray;
  /** Sends `signal` and resolves with everything the process wrote and its exit code. */
  stop(signal?: NodeJS.Signals): Promise<RunResult>;
}

/**
 * Starts a long-running `cutover <args>` (the built CLI) and resolves once its stdout matches
 * `pattern`; rejects with its output when it exits first or stays silent for `timeoutMs`.
 *
 * @example
 * const proxy = await startCutover(['record', '--target', url, '--listen', '0', ...], /listening on (\S+)/);
 */
export function startCutover(args: string[], pattern: RegExp, timeoutMs = 30_000): Promise<BackgroundCutover> {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', PACT_DO_NOT_TRACK: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    const code = await exited;
    clearTimeout(kill);
    // Let the pipes drain.
    await new Promise((resolve) => setImmediate(resolve));
    return { code, stdout, stderr };
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop('SIGKILL');
      reject(
        new Error(
          `cutover ${args.join(' ')} printed nothing matching ${pattern} within ${timeoutMs} ms\n${stdout}${stderr}`,
        ),
      );
    }, timeoutMs);
    const poll = setInterval(() => {
      const match = pattern.exec(stdout);
      if (match) {
        clearTimeout(timer);
        clearInterval(poll);
        resolve({ child, match, stop });
      }
    }, 20);
    void exited.then((code) => {
      clearTimeout(timer);
      clearInterval(poll);
      reject(new Error(`cutover ${args.join(' ')} exited (${code}) before printing ${pattern}\n${stdout}${stderr}`));
    });
  });
}
