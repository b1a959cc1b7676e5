import { resolve } from 'node:path';
import { describeError, UsageError, type ShadowEvidence } from '@cutover/core';
import type { CliIo } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { commandSummaries, type CommandModule } from './index.js';
import { openApiTemplates } from './openapi-templates.js';

interface ShadowArgs {
  monolith: string;
  candidate: string;
  listen: number;
  host: string;
  gateway: boolean;
  out: string;
  'sample-rate'?: number;
  'max-pending'?: number;
  'max-body-bytes'?: number;
  timeout?: number;
  'mirror-unsafe': boolean;
  'monolith-samples': boolean;
  noise?: string;
  openapi?: string;
  'redact-header'?: string[];
  'redact-query'?: string[];
  'redact-json-key'?: string[];
  duration?: number;
  requests?: number;
  'flush-interval': number;
  provider?: string;
  'candidate-version'?: string;
  publish: boolean;
  'broker-url'?: string;
  'broker-token'?: string;
  'broker-username'?: string;
  'broker-password'?: string;
}

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
      y
        .option('monolith', { type: 'string', demandOption: true, describe: 'The monolith, e.g. http://monolith:8000' })
        .option('candidate', { type: 'string', demandOption: true, describe: 'The candidate that gets the copies' })
        .option('listen', { type: 'number', default: 8089, describe: 'Port to listen on (0: any free port)' })
        .option('host', { type: 'string', default: '127.0.0.1', describe: 'Address to listen on' })
        .option('gateway', {
          type: 'boolean',
          default: false,
          describe:
            "Receive the gateway's mirrored requests (nginx mirror, Envoy request_mirror_policies) instead of proxying",
        })
        .option('out', { type: 'string', demandOption: true, describe: 'The evidence file (cutover.shadow/v1 JSON)' })
        .option('sample-rate', { type: 'number', describe: 'Fraction of requests mirrored, 0 to 1 (default 1)' })
        .option('max-pending', {
          type: 'number',
          describe: 'Comparisons held at once; more are dropped and counted (default 64)',
        })
        .option('max-body-bytes', { type: 'number', describe: 'Larger bodies are not compared (default 1048576)' })
        .option('timeout', { type: 'number', describe: 'Milliseconds the candidate may take (default 10000)' })
        .option('mirror-unsafe', {
          type: 'boolean',
          default: false,
          describe: 'Mirror POST/PUT/PATCH/DELETE too: only for a candidate writing to a throwaway store',
        })
        .option('monolith-samples', {
          type: 'boolean',
          default: true,
          describe: 'Ask the monolith again when answers differ, to learn its own noise (--no-monolith-samples)',
        })
        .option('noise', { type: 'string', describe: 'Declared noise file, as `cutover verify --noise` reads it' })
        .option('openapi', { type: 'string', describe: "Group paths by this OpenAPI document's path templates" })
        .option('redact-header', { type: 'string', array: true, describe: 'More headers to redact in examples' })
        .option('redact-query', { type: 'string', array: true, describe: 'More query parameters to redact' })
        .option('redact-json-key', { type: 'string', array: true, describe: 'More JSON keys to redact' })
        .option('duration', { type: 'number', describe: 'Stop after this many seconds (default: at Ctrl-C/SIGTERM)' })
        .option('requests', { type: 'number', describe: 'Stop once this many requests were seen' })
        .option('flush-interval', { type: 'number', default: 10_000, describe: 'Write the evidence every N ms' })
        .option('provider', { type: 'string', describe: 'Provider name written into the evidence' })
        .option('candidate-version', { type: 'string', describe: 'Candidate version written into the evidence' })
        .option('publish', {
          type: 'boolean',
          default: false,
          describe: 'Publish the evidence to the broker at the end',
        })
        .option('broker-url', { type: 'string', describe: 'Broker [env PACT_BROKER_BASE_URL]' })
        .option('broker-token', { type: 'string', describe: 'Bearer token [env PACT_BROKER_TOKEN]' })
        .option('broker-username', { type: 'string', describe: 'Basic auth user [env PACT_BROKER_USERNAME]' })
        .option('broker-password', { type: 'string', describe: 'Basic auth password [env PACT_BROKER_PASSWORD]' })
        .example(
          '$0 shadow --monolith http://localhost:8000 --candidate http://localhost:9000 --listen 8089 --out reports/shadow.json',
          '',
        ),
    async (argv) => {
      const args = argv as unknown as ShadowArgs;
      for (const name of ['monolith', 'candidate', 'listen', 'host', 'out', 'noise', 'openapi'] as const)
        if (Array.isArray(args[name])) throw new UsageError(`--${name} is given more than once`);
      const duration = args.duration;
      if (duration !== undefined && !(duration > 0))
        throw new UsageError('--duration must be a positive number of seconds');
      const requests = args.requests;
      if (requests !== undefined && !(Number.isInteger(requests) && requests > 0))
        throw new UsageError('--requests must be a positive whole number');
      const at = (file: string) => resolve(io.cwd, file);
      const say = (stream: 'stdout' | 'stderr', line: string) => io[stream].write(`cutover shadow: ${line}\n`);
      const shadow = await import('@cutover/shadow');
      const { loadNoiseConfig } = await import('@cutover/verifier');
      const broker = args.publish ? await import('@cutover/broker-client') : undefined;
      const connection = broker?.resolveBrokerConnection(
        {
          url: args['broker-url'],
          token: args['broker-token'],
          username: args['broker-username'],
          password: args['broker-password'],
        },
        io.env,
      );
      if (broker && !connection?.url) throw new UsageError('--publish needs --broker-url (or PACT_BROKER_BASE_URL)');

      const options = {
        monolith: args.monolith,
        candidate: args.candidate,
        port: args.listen,
        host: args.host,
        mirrorUnsafe: args['mirror-unsafe'],
        monolithSamples: args['monolith-samples'],
        ...(args['sample-rate'] !== undefined ? { sampleRate: args['sample-rate'] } : {}),
        ...(args['max-pending'] !== undefined ? { maxPending: args['max-pending'] } : {}),
        ...(args['max-body-bytes'] !== undefined ? { maxBodyBytes: args['max-body-bytes'] } : {}),
        ...(args.timeout !== undefined ? { timeoutMs: args.timeout } : {}),
        ...(args.noise ? { noise: await loadNoiseConfig(args.noise, io.cwd) } : {}),
        ...(args.openapi ? { pathTemplates: await openApiTemplates(at(args.openapi), io) } : {}),
        redaction: {
          headers: args['redact-header'] ?? [],
          query: args['redact-query'] ?? [],
          jsonKeys: args['redact-json-key'] ?? [],
        },
        ...(args.provider !== undefined ? { provider: args.provider } : {}),
        ...(args['candidate-version'] !== undefined ? { candidateVersion: args['candidate-version'] } : {}),
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
