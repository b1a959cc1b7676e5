import { resolve } from 'node:path';
import { parseDuration, UsageError, visibleControls } from '@cutover/core';
import type { CleanReport, RetentionRules } from '@cutover/broker';
import type { Argv } from 'yargs';
import { ExitCode } from '../exit-codes.js';
import type { CliIo, CommandOutcome } from '../context.js';
import { declareOptions, readArgs, type ArgsOf } from '../options.js';
import { writeReport } from '../output.js';

/** The retention rules, shared by `cutover broker clean` and the schedule of `cutover broker --clean-every`. */
export const retentionOptionTable = {
  'keep-latest': {
    type: 'number',
    default: 20,
    describe: 'Versions kept per branch, per tag, and among versions with neither',
    coerce: (n: number): number => {
      if (!Number.isInteger(n) || n < 1)
        throw new UsageError(`--keep-latest must be a whole number of at least 1, not ${String(n)}`);
      return n;
    },
  },
  'keep-newer-than': {
    type: 'string',
    describe: 'Also keep every version created within this long (30m, 24h, 7d…)',
    coerce: (text: string): string => {
      parseDuration(text, '--keep-newer-than');
      return text;
    },
  },
} as const;

const cleanOptionTable = {
  database: { type: 'string', default: '.cutover/broker.db', describe: "The broker's SQLite file" },
  'database-url': {
    type: 'string',
    describe: 'postgres://… URL of the broker’s PostgreSQL instead (or CUTOVER_BROKER_DATABASE_URL)',
  },
  ...retentionOptionTable,
  'dry-run': { type: 'boolean', default: false, describe: 'Print what would be deleted, delete nothing' },
  json: { type: 'string', describe: 'Write the whole report as JSON here ("-" for stdout)' },
} as const;

export function retentionRules(args: ArgsOf<typeof retentionOptionTable>): RetentionRules {
  const keepLatest = args['keep-latest'];
  return args['keep-newer-than'] === undefined
    ? { keepLatest }
    : { keepLatest, keepNewerThanMs: parseDuration(args['keep-newer-than'], '--keep-newer-than') };
}

export function describeRetention(rules: RetentionRules): string {
  const newer =
    rules.keepNewerThanMs === undefined ? '' : `, versions newer than ${rules.keepNewerThanMs / 3_600_000}h`;
  return `keeping the latest ${rules.keepLatest} per branch and tag${newer}, everything deployed or released, and what those need`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/**
 * One summary line, then (unless `limit` is 0) the deleted versions per pacticipant, at most
 * `limit` each. Names and numbers come from whoever published them: controls are shown escaped.
 */
export function printCleanReport(report: CleanReport, io: Pick<CliIo, 'stdout'>, { limit }: { limit: number }): void {
  const d = report.deleted;
  const verb = report.dryRun ? 'would delete' : 'deleted';
  io.stdout.write(
    `cutover broker clean${report.dryRun ? ' (dry run)' : ''}: ${verb} ${plural(d.versions.length, 'version')} ` +
      `(${plural(report.keptVersions, 'kept')}), ${plural(d.pactContents, 'pact content')}, ` +
      `${plural(d.pactPublications, 'pact publication')}, ${plural(d.verifications, 'verification')}, ` +
      `${plural(d.deployments, 'past deployment')}, ${plural(d.releases, 'past release')}, ` +
      `${plural(d.integrations, 'integration')}\n`,
  );
  if (limit === 0) return;
  const byPacticipant = new Map<string, string[]>();
  for (const v of d.versions) {
    const list = byPacticipant.get(v.pacticipant) ?? [];
    list.push(v.number);
    byPacticipant.set(v.pacticipant, list);
  }
  for (const [name, numbers] of byPacticipant) {
    const shown = numbers.slice(0, limit).map((n) => visibleControls(n));
    const more = numbers.length > limit ? `, … and ${numbers.length - limit} more (--json lists all)` : '';
    io.stdout.write(`  ${visibleControls(name)}: ${shown.join(', ')}${more}\n`);
  }
}

/** `cutover broker clean`: deletes old versions from the broker's database (the broker may be running). */
export function cleanCommand(yargs: Argv, io: CliIo, outcome: CommandOutcome): Argv {
  return yargs.command(
    'clean',
    'Delete old pacticipant versions: keep the latest N per branch and tag, everything deployed or released, and what they need',
    (y) =>
      declareOptions(y, cleanOptionTable)
        .example('$0 broker clean --keep-latest 20 --dry-run', 'what would go from .cutover/broker.db')
        .example('CUTOVER_BROKER_DATABASE_URL=postgres://… $0 broker clean --keep-latest 20 --keep-newer-than 30d', ''),
    async (argv) => {
      const options = readArgs(argv, cleanOptionTable);
      const rules = retentionRules(options);
      const { cleanBroker } = await import('@cutover/broker');
      const databaseUrl = options['database-url'] ?? io.env.CUTOVER_BROKER_DATABASE_URL;
      const report = await cleanBroker({
        ...rules,
        database: databaseUrl ? { url: databaseUrl } : { file: resolve(io.cwd, options.database) },
        dryRun: options['dry-run'],
      });
      if (options.json !== '-') printCleanReport(report, io, { limit: 50 });
      if (options.json !== undefined) await writeReport(options.json, io, `${JSON.stringify(report, null, 2)}\n`);
      outcome.exitCode = ExitCode.Ok;
    },
  );
}
