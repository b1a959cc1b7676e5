import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigError, UsageError, describeError, type CutoverError } from '@cutover/core';
import type { Recorder, RecorderEvent, RecorderOptions } from '@cutover/recorder';
import { ExitCode } from '../exit-codes.js';
import { declareOptions, mapOptions, readArgs, type OptionTable } from '../options.js';
import { brokerConnectionOptions } from './broker-options.js';
import { commandSummaries, type CommandModule } from './index.js';
import { openApiTemplates } from './openapi-templates.js';

/** `mobile-app=^TrackingApp/` → a User-Agent rule. */
function userAgentRule(spec: string): { pattern: string; consumer: string } {
  const eq = spec.indexOf('=');
  if (eq <= 0 || eq === spec.length - 1)
    throw new UsageError(`--consumer-user-agent "${spec}" must read CONSUMER=REGEX, e.g. mobile-app=^TrackingApp/`);
  return { consumer: spec.slice(0, eq), pattern: spec.slice(eq + 1) };
}

/** The API-key map: a JSON object of key → consumer name. */
async function readApiKeys(file: string): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new ConfigError(`${file}: cannot read the API-key map: ${describeError(cause).message}`, { cause });
  }
  let map: unknown;
  try {
    map = JSON.parse(text);
  } catch (cause) {
    throw new ConfigError(`${file}: the API-key map is not JSON`, { cause, details: { file } });
  }
  if (map === null || typeof map !== 'object' || Array.isArray(map))
    throw new ConfigError(`${file}: $: expected an object of API key → consumer name`, { details: { file } });
  for (const [key, consumer] of Object.entries(map))
    if (typeof consumer !== 'string')
      throw new ConfigError(`${file}: $["${key.slice(0, 4)}…"]: expected a consumer name (string)`, {
        details: { file },
      });
  return map as Record<string, string>;
}

function describeEvent(event: RecorderEvent): { stream: 'stdout' | 'stderr'; line: string } | undefined {
  switch (event.type) {
    case 'recorded':
      return event.newInteraction
        ? { stream: 'stdout', line: `recorded ${event.consumer}: ${event.group}` }
        : undefined;
    case 'skipped':
      return {
        stream: 'stderr',
        line: `not recorded (${event.reason}): ${event.method} ${event.path}${event.detail ? ` (${event.detail})` : ''}`,
      };
    case 'refused-upgrade':
      return { stream: 'stderr', line: `refused an upgrade request (501): ${event.method} ${event.path}` };
    case 'target-error':
      return { stream: 'stderr', line: `[${event.error.code}] ${event.error.message} (answered 502)` };
    case 'write-failed':
      return {
        stream: 'stderr',
        line: `[${event.error.code}] ${event.error.message}; traffic still flows, the write is retried`,
      };
    case 'written':
      return undefined;
  }
}

/** Every `cutover record` option; `to` says which startRecorder option it sets. */
export const recordOptionTable = {
  target: {
    type: 'string',
    demandOption: true,
    describe: 'Service to forward to, e.g. http://monolith:8000',
    to: 'target',
  },
  listen: { type: 'number', default: 8088, describe: 'Port to listen on (0: any free port)', to: 'port' },
  host: { type: 'string', default: '127.0.0.1', describe: 'Address to listen on', to: 'host' },
  out: { type: 'string', demandOption: true, describe: 'Folder the pacts are written to' },
  provider: { type: 'string', demandOption: true, describe: 'Provider name written into the pacts', to: 'provider' },
  openapi: { type: 'string', describe: "Group paths by this OpenAPI document's path templates" },
  'consumer-header': {
    type: 'string',
    describe: 'Header naming the consumer, e.g. X-Client',
    to: 'consumers.header',
  },
  'consumer-user-agent': {
    type: 'string',
    array: true,
    describe: 'CONSUMER=REGEX: callers whose User-Agent matches are this consumer',
    to: 'consumers.userAgents',
    map: (specs: string[]) => specs.map(userAgentRule),
  },
  'api-key-header': { type: 'string', describe: 'Header carrying an API key (with --api-keys)' },
  'api-keys': { type: 'string', describe: 'JSON file mapping each API key to its consumer' },
  'default-consumer': {
    type: 'string',
    describe: 'Consumer for callers nothing identifies (default unknown-consumer)',
    to: 'consumers.defaultConsumer',
  },
  'redact-header': { type: 'string', array: true, describe: 'More headers to redact', to: 'redaction.headers' },
  'redact-query': {
    type: 'string',
    array: true,
    describe: 'More query parameters to redact',
    to: 'redaction.query',
  },
  'redact-json-key': {
    type: 'string',
    array: true,
    describe: 'More JSON keys to redact anywhere in bodies',
    to: 'redaction.jsonKeys',
  },
  'redact-json-path': {
    type: 'string',
    array: true,
    describe: 'JSON paths to redact, e.g. $.user.ssn',
    to: 'redaction.jsonPaths',
  },
  'response-header': {
    type: 'string',
    array: true,
    describe: 'Response headers to record besides Content-Type',
    to: 'responseHeaders',
    map: (names: string[]) => ['content-type', ...names],
  },
  'max-body-bytes': {
    type: 'number',
    describe: 'Larger bodies pass through unrecorded (default 1048576)',
    to: 'maxBodyBytes',
  },
  'max-shapes-per-group': {
    type: 'number',
    describe: 'Interactions kept per method + path + status (default 5)',
    to: 'maxShapesPerGroup',
  },
  'flush-interval': {
    type: 'number',
    describe: 'Write changed pacts every N ms (default 2000)',
    to: 'flushIntervalMs',
  },
  publish: { type: 'boolean', default: false, describe: 'Publish the pacts to the broker on exit' },
  'consumer-version': { type: 'string', describe: 'Consumer version to publish as (with --publish)' },
  branch: { type: 'string', describe: 'Consumer branch (with --publish)' },
  tag: { type: 'string', array: true, describe: 'Consumer version tags (with --publish)' },
  'build-url': { type: 'string', describe: 'CI build URL (with --publish)' },
  ...brokerConnectionOptions('Pact Broker'),
} as const satisfies OptionTable<RecorderOptions & { port?: number; host?: string }>;

/**
 * `cutover record`: a recording reverse proxy in front of a service; writes V4 pacts from the
 * traffic until SIGTERM or SIGINT, then writes them a last time (and publishes them with
 * `--publish`). Exit 0 when the pacts were written (and published), 2 when they could not be.
 */
export const recordCommand: CommandModule = (yargs, io, outcome) =>
  yargs.command(
    'record',
    commandSummaries.record,
    (y) =>
      declareOptions(y, recordOptionTable).example(
        '$0 record --target http://localhost:8000 --listen 8088 --out contracts/pacts --provider logistics',
        '',
      ),
    async (argv) => {
      const args = readArgs(argv, recordOptionTable);
      const at = (file: string) => resolve(io.cwd, file);
      const { startRecorder } = await import('@cutover/recorder');
      const publishing = args.publish ? await import('./record-publish.js') : undefined;
      const publishTo = publishing?.publishTarget(args, io);

      const { consumers = {}, ...options } = mapOptions(args, recordOptionTable);
      if (args['api-keys'] || args['api-key-header']) {
        if (!args['api-keys'] || !args['api-key-header'])
          throw new UsageError('--api-keys and --api-key-header go together: the map, and the header carrying the key');
        consumers.apiKeys = { header: args['api-key-header'], consumers: await readApiKeys(at(args['api-keys'])) };
      }
      const outDir = at(args.out);
      const say = (stream: 'stdout' | 'stderr', line: string) => io[stream].write(`cutover record: ${line}\n`);
      const recorder: Recorder & { url: string } = await startRecorder({
        ...options,
        target: args.target,
        provider: args.provider,
        outDir,
        consumers,
        ...(args.openapi ? { pathTemplates: await openApiTemplates(at(args.openapi), io) } : {}),
        onEvent: (event) => {
          const said = describeEvent(event);
          if (said) say(said.stream, said.line);
        },
      });
      say(
        'stdout',
        `listening on ${recorder.url} → ${args.target}; pacts go to ${outDir} (stop with Ctrl-C or SIGTERM)`,
      );

      const signal = await new Promise<NodeJS.Signals>((done) => {
        process.once('SIGTERM', () => done('SIGTERM'));
        process.once('SIGINT', () => done('SIGINT'));
      });
      say('stdout', `${signal}: writing the pacts`);
      try {
        await recorder.close();
      } catch (error) {
        say('stderr', `the pacts could not be written: ${describeError(error).message}`);
        outcome.exitCode = ExitCode.Error;
        return;
      }
      const pacts = recorder.book.pacts();
      const { stats } = recorder;
      say(
        'stdout',
        `${stats.forwarded} requests forwarded, ${stats.recorded} recorded, ${stats.skipped} not recorded; ${pacts.length} pact${pacts.length === 1 ? '' : 's'} in ${outDir}: ${pacts.map((p) => `${p.consumer.name} (${p.interactions.length} interactions)`).join(', ') || 'none'}`,
      );
      if (publishing && publishTo) {
        try {
          for (const line of await publishing.publishRecorded(publishTo, pacts)) say('stdout', line);
        } catch (error) {
          say('stderr', `[${(error as CutoverError).code ?? 'ERROR'}] ${describeError(error).message}`);
          outcome.exitCode = ExitCode.Error;
          return;
        }
      }
      outcome.exitCode = ExitCode.Ok;
    },
  );
