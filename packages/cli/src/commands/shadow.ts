import { resolve } from 'node:path';
import { describeError, UsageError, type ShadowEvidence } from '@cutover/core';
import type { ShadowOptions } from '@cutover/shadow';
import type { CliIo } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { declareOptions, mapOptions, readArgs, type OptionTable } from '../options.js';
import { brokerConnectionOptions, brokerFlags } from './broker-options.js';
import { commandSummaries, type CommandModule } from './index.js';
import { openApiTemplates } from './openapi-templates.js';

/** Waits for SIGINT/SIGTERM, `--duration` seconds, or `--requests` seen; says which. */
function stopSignal(durationS: number | undefined, requests: number | undefined, seen: () => number): Promise<string> {
  return new Promise((done) => {
    const poll =
      requests === undefined
        ? undefined
        : setInterval(() => {
            if (seen() >= requests) stop(`${requests} request(s) seen`);
          }, 100);
    const stop = (reason: string) => {
      clearInterval(poll);
      clearTimeout(timer);
      process.off('SIGTERM', onTerm);
      process.off('SIGINT', onInt);
      done(reason);
    };
    const onTerm = () => stop('SIGTERM');
    const onInt = () => stop('SIGINT');
    const timer =
      durationS === undefined ? undefined : setTimeout(() => stop(`${durationS} s elapsed`), durationS * 1000);
    process.once('SIGTERM', onTerm);
    process.once('SIGINT', onInt);
  });
}

/** Every `cutover shadow` option; `to` says which startShadowProxy / startMirrorReceiver option it sets. */
export const shadowOptionTable = {
  monolith: { type: 'string', demandOption: true, describe: 'The monolith, e.g. http://monolith:8000' },
  candidate: { type: 'string', demandOption: true, describe: 'The candidate that gets the copies' },
  listen: { type: 'number', default: 8089, describe: 'Port to listen on (0: any free port)', to: 'port' },
  host: { type: 'string', default: '127.0.0.1', describe: 'Address to listen on', to: 'host' },
  gateway: {
    type: 'boolean',
    default: false,
    describe:
      "Receive the gateway's mirrored requests (nginx mirror, Envoy request_mirror_policies) instead of proxying",
  },
  out: { type: 'string', demandOption: true, describe: 'The evidence file (cutover.shadow/v1 JSON)' },
  'sample-rate': { type: 'number', describe: 'Fraction of requests mirrored, 0 to 1 (default 1)', to: 'sampleRate' },
  'max-pending': {
    type: 'number',
    describe: 'Comparisons held at once; more are dropped and counted (default 64)',
    to: 'maxPending',
  },
  'max-body-bytes': {
    type: 'number',
    describe: 'Larger bodies are not compared (default 1048576)',
    to: 'maxBodyBytes',
  },
  timeout: { type: 'number', describe: 'Milliseconds the candidate may take (default 10000)', to: 'timeoutMs' },
  'mirror-unsafe': {
    type: 'boolean',
    default: false,
    describe: 'Mirror POST/PUT/PATCH/DELETE too: only for a candidate writing to a throwaway store',
    to: 'mirrorUnsafe',
  },
  'monolith-samples': {
    type: 'boolean',
    default: true,
    describe: 'Ask the monolith again when answers differ, to learn its own noise (--no-monolith-samples)',
    to: 'monolithSamples',
  },
  noise: { type: 'string', describe: 'Declared noise file, as `cutover verify --noise` reads it' },
  openapi: { type: 'string', describe: "Group paths by this OpenAPI document's path templates" },
  'redact-header': {
    type: 'string',
    array: true,
    describe: 'More headers to redact in examples',
    to: 'redaction.headers',
  },
  'redact-query': { type: 'string', array: true, describe: 'More query parameters to redact', to: 'redaction.query' },
  'redact-json-key': { type: 'string', array: true, describe: 'More JSON keys to redact', to: 'redaction.jsonKeys' },
  duration: { type: 'number', describe: 'Stop after this many seconds (default: at Ctrl-C/SIGTERM)' },
  requests: { type: 'number', describe: 'Stop once this many requests were seen' },
  'flush-interval': { type: 'number', default: 10_000, describe: 'Write the evidence every N ms' },
  provider: { type: 'string', describe: 'Provider name written into the evidence', to: 'provider' },
  'candidate-version': {
    type: 'string',
    describe: 'Candidate version written into the evidence',
    to: 'candidateVersion',
  },
  publish: { type: 'boolean', default: false, describe: 'Publish the evidence to the broker at the end' },
  ...brokerConnectionOptions('Broker to publish the evidence to'),
} as const satisfies OptionTable<ShadowOptions & { port?: number; host?: string }>;

/**
 * `cutover shadow`: a mirroring proxy in front of the monolith (or, with `--gateway`, a receiver
 * of the gateway's mirrored requests) that compares the candidate's answers with the monolith's
 * until SIGINT/SIGTERM, `--duration` or `--requests`, writing `cutover.shadow/v1` evidence to `--out` as it goes
 * and once more at the end (and publishing it with `--publish`). Exit 0 when no compared request
 * differed, 1 when some did, 2 on a usage or tool error.
 */
export const shadowCommand: CommandModule = (yargs, io: CliIo, outcome) =>
  yargs.command(
    'shadow',
    commandSummaries.shadow,
    (y) =>
      declareOptions(y, shadowOptionTable).example(
        '$0 shadow --monolith http://localhost:8000 --candidate http://localhost:9000 --listen 8089 --out reports/shadow.json',
        '',
      ),
    async (argv) => {
      const args = readArgs(argv, shadowOptionTable);
      const { duration, requests } = args;
      if (duration !== undefined && !(duration > 0))
        throw new UsageError('--duration must be a positive number of seconds');
      if (requests !== undefined && !(Number.isInteger(requests) && requests > 0))
        throw new UsageError('--requests must be a positive whole number');
      const at = (file: string) => resolve(io.cwd, file);
      const say = (stream: 'stdout' | 'stderr', line: string) => io[stream].write(`cutover shadow: ${line}\n`);
      const shadow = await import('@cutover/shadow');
      const { loadNoiseConfig } = await import('@cutover/verifier');
      const broker = args.publish ? await import('@cutover/broker-client') : undefined;
      const connection = broker?.resolveBrokerConnection(brokerFlags(args), io.env);
      if (broker && !connection?.url) throw new UsageError('--publish needs --broker-url (or PACT_BROKER_BASE_URL)');

      const options = {
        ...mapOptions(args, shadowOptionTable),
        monolith: args.monolith,
        candidate: args.candidate,
        ...(args.noise ? { noise: await loadNoiseConfig(args.noise, io.cwd) } : {}),
        ...(args.openapi ? { pathTemplates: await openApiTemplates(at(args.openapi), io) } : {}),
      };
      const out = at(args.out);
      const server = args.gateway ? await shadow.startMirrorReceiver(options) : await shadow.startShadowProxy(options);
      say(
        'stdout',
        args.gateway
          ? `receiving mirrored requests on ${server.url}; comparing ${args.monolith} with ${args.candidate}; evidence goes to ${out}`
          : `listening on ${server.url} → ${args.monolith}, mirroring to ${args.candidate}; evidence goes to ${out}`,
      );

      // Written as it goes: a run that is killed still leaves its evidence.
      let writing: Promise<unknown> = Promise.resolve();
      const write = (evidence: ShadowEvidence) =>
        (writing = writing.then(() =>
          shadow.writeShadowEvidence(out, evidence).catch((error: unknown) => {
            say('stderr', `[${describeError(error).code ?? 'ERROR'}] ${describeError(error).message}`);
            throw error;
          }),
        ));
      const timer = setInterval(() => void write(server.evidence()).catch(() => undefined), args['flush-interval']);
      timer.unref();

      const reason = await stopSignal(duration, requests, () => server.evidence().totals.seen);
      clearInterval(timer);
      say('stdout', `${reason}: finishing the comparisons`);
      const evidence = await server.close();
      try {
        await writing.catch(() => undefined);
        await write(evidence);
      } catch {
        outcome.exitCode = ExitCode.Error;
        return;
      }
      io.stdout.write(shadow.renderShadowSummary(evidence));
      if (broker && connection?.url) {
        const client = new broker.BrokerClient({ url: connection.url, auth: connection.auth });
        const published = await shadow.publishShadowEvidence(client, evidence);
        if (published.recorded) say('stdout', `published to ${published.location ?? published.url}`);
        else {
          say('stderr', published.warning);
          outcome.exitCode = ExitCode.Error;
          return;
        }
      }
      outcome.exitCode = evidence.totals.differing > 0 ? ExitCode.Failed : ExitCode.Ok;
    },
  );
