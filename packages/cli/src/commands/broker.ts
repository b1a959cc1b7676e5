import { resolve } from 'node:path';
import { describeError, parseDuration, UsageError, visibleControls } from '@cutover/core';
import type { AuthConfig, BrokerOptions, Credential } from '@cutover/broker';
import { ExitCode } from '../exit-codes.js';
import type { CliIo } from '../context.js';
import { declareOptions, mapOptions, readArgs, type ArgsOf, type OptionTable } from '../options.js';
import {
  cleanCommand,
  describeRetention,
  printCleanReport,
  retentionOptionTable,
  retentionRules,
} from './broker-clean.js';
import { commandSummaries, type CommandModule } from './index.js';

/** Every `cutover broker` option; `to` says which createBroker option it sets. */
export const brokerOptionTable = {
  port: {
    type: 'number',
    default: 9292,
    describe: 'Port to listen on (0 picks a free one)',
    coerce: (port: number): number => {
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new UsageError(`--port must be a port number, not ${String(port)}`);
      return port;
    },
  },
  host: {
    type: 'string',
    default: '127.0.0.1',
    describe: 'Interface to listen on (0.0.0.0 for every one)',
  },
  database: {
    type: 'string',
    default: '.cutover/broker.db',
    describe: 'SQLite file (created if missing)',
  },
  'database-url': {
    type: 'string',
    describe: 'postgres://… URL of a shared PostgreSQL instead of the SQLite file (or CUTOVER_BROKER_DATABASE_URL)',
  },
  'base-url': {
    type: 'string',
    describe: 'Public URL for HAL links behind a proxy (else X-Forwarded-Proto/Host, then the request)',
    to: 'baseUrl',
  },
  'public-read': {
    type: 'boolean',
    default: false,
    describe: 'Allow reads without credentials (writes still need the write credential)',
  },
  'body-limit': {
    type: 'number',
    default: 10 * 1024 * 1024,
    describe: 'Largest request body in bytes',
    to: 'bodyLimit',
  },
  'webhook-allow-host': {
    type: 'string',
    array: true,
    default: [] as string[],
    describe:
      'A host webhooks may call (repeatable): ci.example.com, ci.example.com:8443 or *.example.com; none by default',
    to: 'webhooks.allowHosts',
  },
  log: { type: 'boolean', default: false, describe: 'Log each request (credentials redacted)', to: 'logger' },
  'clean-every': {
    type: 'string',
    describe: 'Opt-in retention: run `cutover broker clean` at start and then every 30m, 24h, 7d…',
  },
  ...retentionOptionTable,
} as const satisfies OptionTable<BrokerOptions>;

/** The serving options stay off `cutover broker clean`, which declares its own. */
const serveOnly = Object.fromEntries(
  Object.entries(brokerOptionTable).map(([name, option]) => [name, { ...option, global: false }]),
);

type BrokerArgs = ArgsOf<typeof brokerOptionTable>;

/**
 * Credentials come from the environment, never from the command line (where `ps` shows them):
 * CUTOVER_BROKER_WRITE_TOKEN / CUTOVER_BROKER_READ_TOKEN (bearer tokens) and
 * CUTOVER_BROKER_WRITE_BASIC / CUTOVER_BROKER_READ_BASIC ("user:password").
 */
export function authFromEnv(env: NodeJS.ProcessEnv, publicRead: boolean): AuthConfig | undefined {
  const credentials = (kind: 'READ' | 'WRITE'): Credential[] => {
    const list: Credential[] = [];
    const token = env[`CUTOVER_BROKER_${kind}_TOKEN`];
    if (token) list.push({ token });
    const basic = env[`CUTOVER_BROKER_${kind}_BASIC`];
    if (basic) {
      const colon = basic.indexOf(':');
      if (colon <= 0) throw new UsageError(`CUTOVER_BROKER_${kind}_BASIC must be "user:password"`);
      list.push({ username: basic.slice(0, colon), password: basic.slice(colon + 1) });
    }
    return list;
  };
  const read = credentials('READ');
  const write = credentials('WRITE');
  if (read.length && !write.length)
    throw new UsageError(
      'a read credential without a write credential would leave writes open: set CUTOVER_BROKER_WRITE_TOKEN or CUTOVER_BROKER_WRITE_BASIC too',
    );
  if (publicRead && !write.length)
    throw new UsageError(
      '--public-read needs a write credential (CUTOVER_BROKER_WRITE_TOKEN or CUTOVER_BROKER_WRITE_BASIC)',
    );
  return write.length ? { read, write, publicRead } : undefined;
}

async function serve(options: BrokerArgs, io: CliIo): Promise<void> {
  const { createBroker } = await import('@cutover/broker');
  const databaseUrl = options['database-url'] ?? io.env.CUTOVER_BROKER_DATABASE_URL;
  const auth = authFromEnv(io.env, options['public-read']);
  const cleanEvery =
    options['clean-every'] === undefined ? undefined : parseDuration(options['clean-every'], '--clean-every');
  const rules = retentionRules(options);
  const broker = await createBroker({
    ...mapOptions(options, brokerOptionTable),
    database: databaseUrl ? { url: databaseUrl } : { file: resolve(io.cwd, options.database) },
    ...(auth ? { auth } : {}),
    ...(cleanEvery === undefined
      ? {}
      : {
          retention: {
            ...rules,
            everyMs: cleanEvery,
            onClean: (report) => printCleanReport(report, io, { limit: 0 }),
            onError: (error) => {
              const { code, message } = describeError(error);
              io.stderr.write(
                `cutover broker clean failed, nothing deleted (next in ${options['clean-every']}): ${code ? `[${code}] ` : ''}${visibleControls(message)}\n`,
              );
            },
          },
        }),
  });
  let url: string;
  try {
    url = await broker.listen({ port: options.port, host: options.host });
  } catch (error) {
    await broker.close();
    throw new UsageError(`cannot listen on ${options.host}:${options.port}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  io.stdout.write(
    `cutover broker listening on ${url}${options['base-url'] ? ` (links use ${options['base-url']})` : ''}\n` +
      `  database: ${databaseUrl ? 'PostgreSQL' : resolve(io.cwd, options.database)}; auth: ${auth ? `on${auth.publicRead ? ', public reads' : ''}` : 'off'}\n` +
      (cleanEvery === undefined
        ? ''
        : `  retention: clean every ${options['clean-every']}, ${describeRetention(rules)}\n`),
  );
  // In-flight requests finish and the database is closed before the command returns.
  await new Promise<void>((done) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      io.stdout.write(`cutover broker: ${signal}, stopping\n`);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await broker.close();
  io.stdout.write('cutover broker stopped\n');
}

/** `cutover broker`: serves the contract broker until SIGINT or SIGTERM. */
export const brokerCommand: CommandModule = (yargs, io, outcome) =>
  yargs.command(
    'broker',
    commandSummaries.broker,
    (y) =>
      declareOptions(cleanCommand(y, io, outcome), serveOnly)
        .epilog(
          'Credentials come from the environment: CUTOVER_BROKER_WRITE_TOKEN, CUTOVER_BROKER_READ_TOKEN (bearer), ' +
            'CUTOVER_BROKER_WRITE_BASIC, CUTOVER_BROKER_READ_BASIC ("user:password"). Without them the broker is open.',
        )
        .example('$0 broker --port 9292', 'embedded SQLite in .cutover/broker.db')
        .example('$0 broker --clean-every 24h --keep-latest 20', 'delete old versions daily (see broker clean)')
        .example(
          'CUTOVER_BROKER_WRITE_TOKEN=… $0 broker --host 0.0.0.0 --database-url postgres://broker@db/broker --base-url https://broker.example.com',
          '',
        ),
    async (argv) => {
      await serve(readArgs(argv, brokerOptionTable), io);
      outcome.exitCode = ExitCode.Ok;
    },
  );
