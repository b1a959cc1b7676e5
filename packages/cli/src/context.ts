import type { Writable } from 'node:stream';

/** Where a command writes; tests pass their own streams and read what was written. */
export interface CliIo {
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean };
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** Set by a command handler: the exit code of the run. */
export interface CommandOutcome {
  exitCode: number;
}
