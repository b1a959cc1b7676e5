export { runCli, ExitCode } from './main.js';
export type { CliIo } from './main.js';
