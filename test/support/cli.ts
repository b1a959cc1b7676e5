import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository root and the built CLI, driven the way a user runs it: the bin launcher and its bundle. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = fileURLToPath(new URL('../../packages/cli/bin/cutover.js', import.meta.url));
const BUNDLE = fileURLToPath(new URL('../../packages/cli/dist/bundle/bin.js', import.meta.url));

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `cutover <args>` as a child process (`packages/cli/bin/cutover.js`, which runs the bundle
 * that `npm run build` writes to `packages/cli/dist/bundle/`).
 *
 * @example
 * const { code, stdout } = await cutover(['gate', '--help']);
 */
export function cutover(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<RunResult> {
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} does not exist: build first (npm run build)`);
  return run(process.execPath, [CLI, ...args], options);
}

export function run(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', PACT_DO_NOT_TRACK: 'true', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The commands `cutover --help` lists. */
export async function registeredCommands(): Promise<Set<string>> {
  const { stdout } = await cutover(['--help']);
  return new Set([...stdout.matchAll(/^\s+cutover ([a-z][\w-]*)/gm)].map((m) => m[1]!));
}

/**
 * The long options `cutover <command> [<subcommand>] --help` lists (without the leading dashes), or
 * `undefined` when no such (sub)command exists: its help would then describe the parent instead.
 */
export async function commandOptions(command: string): Promise<Set<string> | undefined> {
  const { code, stdout } = await cutover([...command.split(' '), '--help']);
  if (code !== 0 || !stdout.split('\n')[0]!.trim().startsWith(`cutover ${command}`)) return undefined;
  return new Set([...stdout.matchAll(/(?:^|\s)--([a-z][\w-]*)/gm)].map((m) => m[1]!));
}

export interface LongRunning {
  /** Resolves with the first stdout match of `pattern` (rejects if the process ends first). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Sends `signal` and resolves with the exit code and everything written. */
  stop(signal?: NodeJS.Signals): Promise<RunResult>;
  readonly pid: number;
}

/**
 * Starts `cutover <args>` as a long-running child, e.g. `cutover broker`: the built CLI of this
 * checkout, or `bin` (an installed `node_modules/.bin/cutover`) run by `node`.
 */
export function startCutover(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; bin?: string; node?: string } = {},
): LongRunning {
  const bin = options.bin ?? CLI;
  if (!existsSync(bin)) throw new Error(`${bin} does not exist: build first (npm run build)`);
  const child = spawn(options.node ?? process.execPath, [bin, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return {
    pid: child.pid!,
    waitFor(pattern, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = stdout.match(pattern);
          if (m) {
            clearInterval(timer);
            resolve(m);
          }
        };
        const timer = setInterval(check, 25);
        setTimeout(() => {
          clearInterval(timer);
          reject(new Error(`no ${pattern} on stdout in ${timeoutMs} ms; stdout: ${stdout}; stderr: ${stderr}`));
        }, timeoutMs);
        void closed.then(() => {
          check();
          clearInterval(timer);
          reject(new Error(`the process ended before ${pattern}; stdout: ${stdout}; stderr: ${stderr}`));
        });
      });
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const code = await closed;
      return { code, stdout, stderr };
    },
  };
}
