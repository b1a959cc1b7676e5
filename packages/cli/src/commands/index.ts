import type { Argv } from 'yargs';
import type { CliIo, CommandOutcome } from '../context.js';
import { gateCommand } from './gate.js';
import { openapiCheckCommand } from './openapi-check.js';
import { verifyCommand } from './verify.js';

/**
 * A command module registers itself on yargs and reports its exit code through `outcome`.
 * Each command lives in its own file and is a thin layer over a package's programmatic API.
 */
export type CommandModule = (yargs: Argv, io: CliIo, outcome: CommandOutcome) => Argv;

// Commands are registered here, one line each.
export const commands: CommandModule[] = [verifyCommand, gateCommand, openapiCheckCommand];
