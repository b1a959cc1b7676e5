import { UsageError } from '@cutover/core';
import type { VerificationReport } from '@cutover/core';
import {
  checkedOption,
  createProgress,
  formatByteSize,
  NothingVerifiedError,
  parseByteSize,
  publishVerificationResults,
  renderConsoleChunks,
  renderJunitChunks,
  renderJsonChunks,
  renderMarkdown,
  runVerify,
  verificationFailed,
  VERIFY_LIMITS,
} from '@cutover/verifier';
import type { NumericLimit, PathRewrite, StateConfig, TargetOptions, VerifyOptions } from '@cutover/verifier';
import { resolveBrokerConnection, validateConsumerVersionSelectors } from '@cutover/broker-client';
import type { ConsumerVersionSelector } from '@cutover/broker-client';
import { commandSummaries, type CommandModule } from './index.js';
import { openapiRefArgs, openapiRefOptions } from './openapi-refs.js';
import { ExitCode } from '../exit-codes.js';
import { writeReport } from '../output.js';

interface VerifyArgs {
  pact?: string[];
  'broker-url'?: string;
  provider?: string;
  'consumer-version-selector'?: string[];
  'include-wip-pacts-since'?: string;
  'broker-token'?: string;
  'broker-username'?: string;
  'broker-password'?: string;
  monolith?: string;
  candidate?: string;
  'state-url'?: string;
  'state-module'?: string;
  'monolith-state-url'?: string;
  'monolith-state-module'?: string;
  'candidate-state-url'?: string;
  'candidate-state-module'?: string;
  'shared-state': boolean;
  header?: string[];
  'monolith-header'?: string[];
  'candidate-header'?: string[];
  'request-hook'?: string;
  'monolith-request-hook'?: string;
  'candidate-request-hook'?: string;
  'rewrite-path'?: string[];
  'filter-consumer'?: string[];
  'filter-description'?: string[];
  'filter-state'?: string[];
  'filter-route'?: string[];
  noise?: string;
  'noise-samples'?: number;
  'sample-unsafe-methods': boolean;
  openapi?: string;
  'ref-root'?: string;
  'allow-remote-refs'?: boolean;
  concurrency?: number;
  timeout?: number;
  retries?: number;
  'max-body'?: number;
  json?: string;
  junit?: string;
  markdown?: string;
  publish: boolean;
  'provider-version'?: string;
  branch?: string;
  'build-url'?: string;
  'allow-empty': boolean;
}

/**
 * A numeric option checked against its range (from VERIFY_LIMITS) as it is parsed, so a usage error
 * names the flag; a `size` option takes `10MB`-style byte sizes. A repeated option (an array) is
 * left to refuseRepeated.
 */
function rangedOption(flag: string, limit: NumericLimit, describe: string, kind: 'integer' | 'size' = 'integer') {
  const show = kind === 'size' ? formatByteSize : String;
  return {
    type: kind === 'size' ? ('string' as const) : ('number' as const),
    describe: `${describe} (${show(limit.min)} to ${show(limit.max)}, default ${show(limit.default)})`,
    coerce: (value: unknown) => {
      if (Array.isArray(value)) return value;
      const number = kind === 'size' ? parseByteSize(`--${flag}`, String(value)) : (value as number);
      return checkedOption(`--${flag}`, number, limit, show);
    },
  };
}

function parseHeaders(values: string[] | undefined, flag: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const value of values ?? []) {
    const colon = value.indexOf(':');
    if (colon <= 0) throw new UsageError(`${flag} ${JSON.stringify(value)}: expected "Name: value"`);
    headers[value.slice(0, colon).trim()] = value.slice(colon + 1).trim();
  }
  return headers;
}

function parseSelectors(values: string[] | undefined): ConsumerVersionSelector[] | undefined {
  if (!values?.length) return undefined;
  const selectors = values.map((value, index) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch (cause) {
      throw new UsageError(`--consumer-version-selector #${index + 1} is not JSON: ${value}`, { cause });
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new UsageError(
        `--consumer-version-selector #${index + 1} must be a JSON object, e.g. '{"mainBranch":true}'`,
      );
    }
    return parsed as ConsumerVersionSelector;
  });
  // Checked here too, so a misspelt key is refused before the broker is contacted.
  return validateConsumerVersionSelectors(selectors);
}

function stateConfig(url: string | undefined, module: string | undefined, target: string): StateConfig | undefined {
  if (url && module) throw new UsageError(`Give the ${target} a state URL or a state module, not both`);
  if (url) return { url };
  if (module) return { module };
  return undefined;
}

function targetOptions(args: VerifyArgs, name: 'monolith' | 'candidate'): TargetOptions | undefined {
  const url = args[name];
  if (url === undefined) return undefined;
  const target: TargetOptions = { url };
  const states =
    stateConfig(args[`${name}-state-url`], args[`${name}-state-module`], name) ??
    stateConfig(args['state-url'], args['state-module'], 'targets');
  if (states) target.states = states;
  const headers = {
    ...parseHeaders(args.header, '--header'),
    ...parseHeaders(args[`${name}-header`], `--${name}-header`),
  };
  if (Object.keys(headers).length > 0) target.headers = headers;
  const hook = args[`${name}-request-hook`] ?? args['request-hook'];
  if (hook) target.requestHook = hook;
  const rewrites = parseRewrites(args['rewrite-path']);
  if (name === 'candidate' && rewrites) target.rewritePaths = rewrites;
  return target;
}

function parseRewrites(rules: string[] | undefined): PathRewrite[] | undefined {
  if (!rules?.length) return undefined;
  return rules.map((rule) => {
    const eq = rule.indexOf('=');
    if (eq <= 0) {
      throw new UsageError(`--rewrite-path ${JSON.stringify(rule)}: expected FROM=TO, e.g. /api/shipments=/shipments`);
    }
    return { from: rule.slice(0, eq), to: rule.slice(eq + 1) };
  });
}

// Options that take one value: yargs turns a repeated one into an array, which would otherwise
// surface later as a confusing error ("Target URL [a,b] is not a valid URL") or be half-used.
const SINGLE_VALUED = [
  'broker-url',
  'provider',
  'broker-token',
  'broker-username',
  'broker-password',
  'monolith',
  'candidate',
  'state-url',
  'state-module',
  'monolith-state-url',
  'monolith-state-module',
  'candidate-state-url',
  'candidate-state-module',
  'request-hook',
  'monolith-request-hook',
  'candidate-request-hook',
  'noise',
  'noise-samples',
  'openapi',
  'ref-root',
  'concurrency',
  'timeout',
  'retries',
  'max-body',
  'json',
  'junit',
  'markdown',
  'provider-version',
  'branch',
  'build-url',
  'include-wip-pacts-since',
] as const;

/** WIP pacts are computed for a provider branch; a date the broker cannot read would fail only there. */
function checkWipSince(args: VerifyArgs, brokerUrl: string | undefined): void {
  const since = args['include-wip-pacts-since'];
  if (since === undefined) return;
  if (!brokerUrl)
    throw new UsageError('--include-wip-pacts-since needs a broker (--broker-url or PACT_BROKER_BASE_URL)');
  if (!args.branch)
    throw new UsageError('--include-wip-pacts-since needs --branch: WIP pacts are computed per provider branch');
  if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(since) || Number.isNaN(Date.parse(since)))
    throw new UsageError(`--include-wip-pacts-since ${JSON.stringify(since)}: expected a date, YYYY-MM-DD or ISO 8601`);
}

function refuseRepeated(args: VerifyArgs): void {
  for (const name of SINGLE_VALUED) {
    const value = args[name];
    if (Array.isArray(value)) {
      throw new UsageError(
        `--${name} was given ${value.length} times (${value.map((v) => JSON.stringify(v)).join(', ')}); give it once`,
      );
    }
  }
}

/**
 * `cutover verify`: replays every consumer interaction against the monolith and/or the candidate.
 * Exit 0 when everything passed, 1 on contract/parity/schema failures or target errors, 2 on
 * usage, configuration or tool errors.
 */
export const verifyCommand: CommandModule = (yargs, io, outcome) =>
  yargs.command(
    'verify',
    commandSummaries.verify,
    (y) =>
      y
        .option('pact', { type: 'string', array: true, describe: 'Pact files, folders or globs' })
        .option('broker-url', {
          type: 'string',
          describe: 'Pact Broker to fetch pacts from [env PACT_BROKER_BASE_URL]',
        })
        .option('provider', {
          type: 'string',
          describe: 'Provider name: every pact must name it (also for the broker and the report)',
        })
        .option('consumer-version-selector', {
          type: 'string',
          array: true,
          describe: 'Consumer version selector as JSON, e.g. \'{"mainBranch":true}\' (repeatable)',
        })
        .option('include-wip-pacts-since', {
          type: 'string',
          describe: 'Also verify work-in-progress pacts published since this date, YYYY-MM-DD (needs --branch)',
        })
        .option('broker-token', { type: 'string', describe: 'Bearer token [env PACT_BROKER_TOKEN]' })
        .option('broker-username', { type: 'string', describe: 'Basic auth user [env PACT_BROKER_USERNAME]' })
        .option('broker-password', { type: 'string', describe: 'Basic auth password [env PACT_BROKER_PASSWORD]' })
        .option('monolith', { type: 'string', describe: 'Monolith base URL' })
        .option('candidate', { type: 'string', describe: 'Candidate (extracted service) base URL' })
        .option('state-url', { type: 'string', describe: 'Pact state-change URL for both targets' })
        .option('state-module', { type: 'string', describe: 'JS/TS module of state handlers for both targets' })
        .option('monolith-state-url', { type: 'string' })
        .option('monolith-state-module', { type: 'string' })
        .option('candidate-state-url', { type: 'string' })
        .option('candidate-state-module', { type: 'string' })
        .option('shared-state', {
          type: 'boolean',
          default: false,
          describe: 'The targets share one state store: run stateful interactions one at a time across both',
        })
        .option('header', { type: 'string', array: true, describe: '"Name: value" sent to both targets' })
        .option('monolith-header', { type: 'string', array: true })
        .option('candidate-header', { type: 'string', array: true })
        .option('request-hook', { type: 'string', describe: 'Module whose default export rewrites each request' })
        .option('monolith-request-hook', { type: 'string' })
        .option('candidate-request-hook', { type: 'string' })
        .option('rewrite-path', {
          type: 'string',
          array: true,
          describe: 'FROM=TO path prefix rewrite for the candidate',
        })
        .option('filter-consumer', { type: 'string', array: true, describe: 'Only these consumers' })
        .option('filter-description', { type: 'string', array: true, describe: 'Only descriptions containing this' })
        .option('filter-state', { type: 'string', array: true, describe: 'Only interactions with this provider state' })
        .option('filter-route', {
          type: 'string',
          array: true,
          describe: 'Only routes like "GET /shipments/*" (* or {id}: one segment, **: any depth)',
        })
        .option('noise', { type: 'string', describe: 'Noise config file (YAML/JSON)' })
        .option(
          'noise-samples',
          rangedOption('noise-samples', VERIFY_LIMITS.noiseSamples, 'Monolith samples for noise detection'),
        )
        .option('sample-unsafe-methods', {
          type: 'boolean',
          default: false,
          describe:
            'Re-send POST/PUT/PATCH/DELETE (...) to the monolith for noise samples even without a provider state to isolate them (a second write)',
        })
        .option('openapi', { type: 'string', describe: 'OpenAPI document to validate requests and responses against' })
        .options(openapiRefOptions)
        .option('concurrency', rangedOption('concurrency', VERIFY_LIMITS.concurrency, 'Parallel requests per target'))
        .option('timeout', rangedOption('timeout', VERIFY_LIMITS.timeoutMs, 'Per-request timeout in ms'))
        .option('retries', rangedOption('retries', VERIFY_LIMITS.retries, 'Retries on connection failures'))
        .option(
          'max-body',
          rangedOption(
            'max-body',
            VERIFY_LIMITS.maxBodyBytes,
            'Largest response body to read, e.g. 10MB or 512KB; a larger one errors its interaction',
            'size',
          ),
        )
        .option('json', { type: 'string', describe: 'Write the results (cutover.verification/v1) here' })
        .option('junit', { type: 'string', describe: 'Write JUnit XML here' })
        .option('markdown', { type: 'string', describe: 'Write a Markdown PR comment here' })
        .option('publish', { type: 'boolean', default: false, describe: 'Publish results to the broker' })
        .option('provider-version', { type: 'string', describe: 'Provider version (with --publish)' })
        .option('branch', { type: 'string', describe: 'Provider branch (with --publish)' })
        .option('build-url', { type: 'string', describe: 'CI build URL (with --publish)' })
        .option('allow-empty', {
          type: 'boolean',
          default: false,
          describe: 'Accept a run that verifies no interaction (otherwise it exits 1)',
        }),
    async (argv) => {
      const args = argv as unknown as VerifyArgs;
      refuseRepeated(args);
      // Checked up front: a rule must never be dropped silently, even when there is no candidate.
      if (parseRewrites(args['rewrite-path']) && args.candidate === undefined) {
        throw new UsageError("--rewrite-path rewrites the candidate's paths: give --candidate too");
      }
      const env = io.env;
      const broker = resolveBrokerConnection(
        {
          url: args['broker-url'],
          token: args['broker-token'],
          username: args['broker-username'],
          password: args['broker-password'],
        },
        env,
      );
      // PACT_BROKER_BASE_URL is where pacts come from only when no --pact names them; it is always where results go.
      const brokerUrl = broker.urlFrom === 'env' && args.pact?.length ? undefined : broker.url;
      const auth = broker.auth ?? {};
      if (args.publish && (!args['provider-version'] || !args.branch)) {
        throw new UsageError('--publish needs --provider-version and --branch');
      }
      if (brokerUrl && !args.provider) throw new UsageError('--broker-url needs --provider');
      checkWipSince(args, brokerUrl);
      const publishUrl = broker.url;
      if (args.publish && !publishUrl) throw new UsageError('--publish needs --broker-url (or PACT_BROKER_BASE_URL)');

      const options: VerifyOptions = { cwd: io.cwd };
      if (args.pact?.length) options.pacts = args.pact;
      if (brokerUrl) {
        options.broker = {
          url: brokerUrl,
          provider: args.provider!,
          ...auth,
          onNotice: ({ text }) => io.stderr.write(`broker: ${text}\n`),
        };
        const selectors = parseSelectors(args['consumer-version-selector']);
        if (selectors) options.broker.consumerVersionSelectors = selectors;
        if (args.branch) options.broker.providerVersionBranch = args.branch;
        const wipSince = args['include-wip-pacts-since'];
        if (wipSince !== undefined) options.broker.includeWipPactsSince = wipSince;
      }
      const monolith = targetOptions(args, 'monolith');
      const candidate = targetOptions(args, 'candidate');
      if (monolith) options.monolith = monolith;
      if (candidate) options.candidate = candidate;
      if (args['shared-state']) options.stateLanes = 'shared';
      const filters = {
        ...(args['filter-consumer'] ? { consumers: args['filter-consumer'] } : {}),
        ...(args['filter-description'] ? { descriptions: args['filter-description'] } : {}),
        ...(args['filter-state'] ? { states: args['filter-state'] } : {}),
        ...(args['filter-route'] ? { routes: args['filter-route'] } : {}),
      };
      if (Object.keys(filters).length > 0) options.filters = filters;
      if (args.noise) options.noise = args.noise;
      if (args['noise-samples'] !== undefined) options.noiseSamples = args['noise-samples'];
      if (args['sample-unsafe-methods']) options.sampleUnsafeMethods = true;
      if (args.openapi) Object.assign(options, { openapi: args.openapi }, openapiRefArgs(args));
      if (args.concurrency !== undefined) options.concurrency = args.concurrency;
      if (args.timeout !== undefined) options.timeoutMs = args.timeout;
      if (args.retries !== undefined) options.retries = args.retries;
      if (args['max-body'] !== undefined) options.maxBodyBytes = args['max-body'];
      if (args['allow-empty']) options.allowEmpty = true;
      const provider = {
        ...(args.provider ? { name: args.provider } : {}),
        ...(args['provider-version'] ? { version: args['provider-version'] } : {}),
        ...(args.branch ? { branch: args.branch } : {}),
      };
      if (Object.keys(provider).length > 0) options.provider = provider;

      const progress = createProgress(io.stderr, env);
      options.onProgress = (done, total) => progress.update(done, total);
      let report: VerificationReport;
      try {
        report = await runVerify(options);
      } catch (error) {
        // Verifying nothing is a failed verification (exit 1), not a tool error (exit 2).
        if (!(error instanceof NothingVerifiedError)) throw error;
        io.stderr.write(`cutover: [${error.code}] ${error.message}\n`);
        outcome.exitCode = ExitCode.Failed;
        return;
      } finally {
        progress.stop();
      }

      for (const chunk of renderConsoleChunks(report)) io.stdout.write(chunk);
      if (args.json) await writeReport(args.json, io, renderJsonChunks(report));
      if (args.junit) await writeReport(args.junit, io, renderJunitChunks(report));
      if (args.markdown) await writeReport(args.markdown, io, renderMarkdown(report));
      if (args.publish) {
        const published = await publishVerificationResults(report, {
          brokerUrl: publishUrl!,
          providerVersion: args['provider-version']!,
          branch: args.branch!,
          ...(args['build-url'] ? { buildUrl: args['build-url'] } : {}),
          ...auth,
        });
        for (const p of published) io.stdout.write(`published ${p.success ? 'success' : 'failure'} for ${p.pact}\n`);
      }
      outcome.exitCode = verificationFailed(report) ? ExitCode.Failed : ExitCode.Ok;
    },
  );
