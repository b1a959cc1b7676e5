import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Repository root (examples/demo/src/../../..). */
export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

export interface Service {
  name: string;
  url: string;
  child: ChildProcess;
  /** Everything the process wrote, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/** Every child this process started and has not stopped yet, so a crash or Ctrl-C can end them all. */
const running = new Set<ChildProcess>();

/**
 * Starts an example service (`node --import tsx <entry> --port 0 ...`) and resolves once it prints
 * `listening on <url>`. Rejects, with the process output, when it exits or stays silent too long.
 *
 * @example
 * const monolith = await startService('monolith', 'examples/logistics-monolith/src/main.ts', ['--data', file]);
 */
export function startService(name: string, entry: string, args: string[], timeoutMs = 30_000): Promise<Service> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, '--port', '0', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  running.add(child);
  let output = '';
  const stop = () => stopChild(child);
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      void stop();
      reject(new Error(`${name} (${entry}) ${why}\n${output.trim()}`));
    };
    const timer = setTimeout(() => fail(`did not print its URL within ${timeoutMs} ms`), timeoutMs);
    let ready = false;
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-65_536);
      const match = ready ? null : /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        ready = true;
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve({ name, url: match[1]!, child, output: () => output, stop });
      }
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      fail(`exited (${signal ?? `code ${code}`}) before listening`);
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-65_536)));
    child.once('exit', onExit);
    child.once('error', (error) => fail(`could not start: ${error.message}`));
  });
}

/** Ends a child: SIGTERM, then SIGKILL if it is still there after `graceMs`. */
export function stopChild(child: ChildProcess, graceMs = 3_000): Promise<void> {
  running.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Stops every child still running. */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((child) => stopChild(child)));
}

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command to completion, echoing its output through `echo` (line by line) as it comes.
 * The child is tracked like services, so Ctrl-C ends it too.
 */
export function runCommand(
  command: string,
  args: string[],
  options: { echo?: (line: string) => void; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<CommandResult> {
  const child = spawn(command, args, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PACT_DO_NOT_TRACK: 'true', ...options.env },
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  const echoer = () => {
    let pending = '';
    return (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) options.echo?.(line);
    };
  };
  const echoOut = echoer();
  const echoErr = echoer();
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    echoOut(chunk);
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
    echoErr(chunk);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 180_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      running.delete(child);
      reject(new Error(`could not run ${command}: ${error.message}`));
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      running.delete(child);
      resolve({ code, stdout, stderr });
    });
  });
}
