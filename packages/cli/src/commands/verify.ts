import { isObject, UsageError } from '@cutover/core';
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
import type { NumericLimit, PathRewrite, VerifyOptions } from '@cutover/verifier';
import { resolveBrokerConnection, validateConsumerVersionSelectors } from '@cutover/broker-client';
import type { ConsumerVersionSelector } from '@cutover/broker-client';
import type { CliIo } from '../context.js';
import { commandSummaries, type CommandModule } from './index.js';
import { brokerCredentialOptions, brokerFlags, brokerUrlOption } from './broker-options.js';
import { openapiRefOptions } from './openapi-refs.js';
import { ExitCode } from '../exit-codes.js';
import {
  declareOptions,
  declarePactPositional,
  mapOptions,
  pactArgs,
  readArgs,
  type ArgsOf,
  type OptionTable,
} from '../options.js';
import { writeReport } from '../output.js';

/**
 * A numeric option checked against its range (from VERIFY_LIMITS) as it is parsed, so a usage error
 * names the flag; a `size` option takes `10MB`-style byte sizes.
 */
function rangedOption(flag: string, limit: NumericLimit, describe: string, kind: 'integer' | 'size' = 'integer') {
  const show = kind === 'size' ? formatByteSize : String;
  return {
    type: kind === 'size' ? ('string' as const) : ('number' as const),
    describe: `${describe} (${show(limit.min)} to ${show(limit.max)}, default ${show(limit.default)})`,
    coerce: (value: unknown): number => {
      const number = kind === 'size' ? parseByteSize(`--${flag}`, String(value)) : (value as number);
      return checkedOption(`--${flag}`, number, limit, show);
    },
  };
}

function parseHeaders(values: string[], flag: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const value of values) {
    const colon = value.indexOf(':');
    if (colon <= 0) throw new UsageError(`${flag} ${JSON.stringify(value)}: expected "Name: value"`);
    headers[value.slice(0, colon).trim()] = value.slice(colon + 1).trim();
  }
  return headers;
}

function parseSelectors(values: string[]): ConsumerVersionSelector[] {
  const selectors = values.map((value, index) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch (cause) {
      throw new UsageError(`--consumer-version-selector #${index + 1} is not JSON: ${value}`, { cause });
    }
    if (!isObject(parsed)) {
      throw new UsageError(
        `--consumer-version-selector #${index + 1} must be a JSON object, e.g. '{"mainBranch":true}'`,
      );
    }
    return parsed as ConsumerVersionSelector;
  });
  // Checked here too, so a misspelt key is refused before the broker is contacted.
  return validateConsumerVersionSelectors(selectors);
}

function parseRewrites(rules: string[]): PathRewrite[] {
  return rules.map((rule) => {
    const eq = rule.indexOf('=');
    if (eq <= 0) {
      throw new UsageError(`--rewrite-path ${JSON.stringify(rule)}: expected FROM=TO, e.g. /api/shipments=/shipments`);
    }
    return { from: rule.slice(0, eq), to: rule.slice(eq + 1) };
  });
}

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

const stateUrl = (url: string) => ({ url });
const stateModule = (module: string) => ({ module });

/**
 * Every `cutover verify` option, declared once: yargs parses and documents it from here, and
 * `to` says which VerifyOptions field it sets (checked by the compiler). Options without `to`
 * belong to the command line: the pacts (joined with the arguments), the broker connection
 * (resolved with the environment), reports and publishing.
 */
export const verifyOptionTable = {
  pact: { type: 'string', array: true, describe: 'Pact files, folders or globs (or give them as arguments)' },
  ...brokerUrlOption('Pact Broker to fetch pacts from'),
  provider: {
    type: 'string',
    describe: 'Provider name: every pact must name it (also for the broker and the report)',
    to: ['broker.provider', 'provider.name'],
  },
  'consumer-version-selector': {
    type: 'string',
    array: true,
    describe: 'Consumer version selector as JSON, e.g. \'{"mainBranch":true}\' (repeatable)',
    to: 'broker.consumerVersionSelectors',
    map: parseSelectors,
  },
  'include-wip-pacts-since': {
    type: 'string',
    describe: 'Also verify work-in-progress pacts published since this date, YYYY-MM-DD (needs --branch)',
    to: 'broker.includeWipPactsSince',
  },
  ...brokerCredentialOptions,
  monolith: { type: 'string', describe: 'Monolith base URL', to: 'monolith.url' },
  candidate: { type: 'string', describe: 'Candidate (extracted service) base URL', to: 'candidate.url' },
  'state-url': {
    type: 'string',
    describe: 'Pact state-change URL for both targets',
    to: ['monolith.states', 'candidate.states'],
    map: stateUrl,
  },
  'state-module': {
    type: 'string',
    describe: 'JS/TS module of state handlers for both targets',
    to: ['monolith.states', 'candidate.states'],
    map: stateModule,
  },
  'monolith-state-url': { type: 'string', to: 'monolith.states', map: stateUrl },
  'monolith-state-module': { type: 'string', to: 'monolith.states', map: stateModule },
  'candidate-state-url': { type: 'string', to: 'candidate.states', map: stateUrl },
  'candidate-state-module': { type: 'string', to: 'candidate.states', map: stateModule },
  'shared-state': {
    type: 'boolean',
    default: false,
    describe: 'The targets share one state store: run stateful interactions one at a time across both',
    to: 'stateLanes',
    map: () => 'shared',
  },
  header: {
    type: 'string',
    array: true,
    describe: '"Name: value" sent to both targets',
    to: ['monolith.headers', 'candidate.headers'],
    map: (values: string[]) => parseHeaders(values, '--header'),
    merge: true,
  },
  'monolith-header': {
    type: 'string',
    array: true,
    to: 'monolith.headers',
    map: (values: string[]) => parseHeaders(values, '--monolith-header'),
    merge: true,
  },
  'candidate-header': {
    type: 'string',
    array: true,
    to: 'candidate.headers',
    map: (values: string[]) => parseHeaders(values, '--candidate-header'),
    merge: true,
  },
  'request-hook': {
    type: 'string',
    describe: 'Module whose default export rewrites each request',
    to: ['monolith.requestHook', 'candidate.requestHook'],
  },
  'monolith-request-hook': { type: 'string', to: 'monolith.requestHook' },
  'candidate-request-hook': { type: 'string', to: 'candidate.requestHook' },
  'rewrite-path': {
    type: 'string',
    array: true,
    describe: 'FROM=TO path prefix rewrite for the candidate',
    to: 'candidate.rewritePaths',
    map: parseRewrites,
  },
  'filter-consumer': { type: 'string', array: true, describe: 'Only these consumers', to: 'filters.consumers' },
  'filter-description': {
    type: 'string',
    array: true,
    describe: 'Only descriptions containing this',
    to: 'filters.descriptions',
  },
  'filter-state': {
    type: 'string',
    array: true,
    describe: 'Only interactions with this provider state',
    to: 'filters.states',
  },
  'filter-route': {
    type: 'string',
    array: true,
    describe: 'Only routes like "GET /shipments/*" (* or {id}: one segment, **: any depth)',
    to: 'filters.routes',
  },
  noise: { type: 'string', describe: 'Noise config file (YAML/JSON)', to: 'noise' },
  'noise-samples': {
    ...rangedOption('noise-samples', VERIFY_LIMITS.noiseSamples, 'Monolith samples for noise detection'),
    to: 'noiseSamples',
  },
  'sample-unsafe-methods': {
    type: 'boolean',
    default: false,
    describe:
      'Re-send POST/PUT/PATCH/DELETE (...) to the monolith for noise samples even without a provider state to isolate them (a second write)',
    to: 'sampleUnsafeMethods',
  },
  openapi: {
    type: 'string',
    describe: 'OpenAPI document to validate requests and responses against',
    to: 'openapi',
  },
  ...openapiRefOptions<VerifyOptions>(),
  concurrency: {
    ...rangedOption('concurrency', VERIFY_LIMITS.concurrency, 'Parallel requests per target'),
    to: 'concurrency',
  },
  timeout: { ...rangedOption('timeout', VERIFY_LIMITS.timeoutMs, 'Per-request timeout in ms'), to: 'timeoutMs' },
  retries: { ...rangedOption('retries', VERIFY_LIMITS.retries, 'Retries on connection failures'), to: 'retries' },
  'max-body': {
    ...rangedOption(
      'max-body',
      VERIFY_LIMITS.maxBodyBytes,
      'Largest response body to read, e.g. 10MB or 512KB; a larger one errors its interaction',
      'size',
    ),
    to: 'maxBodyBytes',
  },
  json: { type: 'string', describe: 'Write the results (cutover.verification/v1) here' },
  junit: { type: 'string', describe: 'Write JUnit XML here' },
  markdown: { type: 'string', describe: 'Write a Markdown PR comment here' },
  publish: { type: 'boolean', default: false, describe: 'Publish results to the broker' },
  'provider-version': { type: 'string', describe: 'Provider version (with --publish)', to: 'provider.version' },
  branch: {
    type: 'string',
    describe: 'Provider branch (with --publish)',
    to: ['broker.providerVersionBranch', 'provider.branch'],
  },
  'build-url': { type: 'string', describe: 'CI build URL (with --publish)' },
  'allow-empty': {
    type: 'boolean',
    default: false,
    describe: 'Accept a run that verifies no interaction (otherwise it exits 1)',
    to: 'allowEmpty',
  },
} as const satisfies OptionTable<VerifyOptions>;

type VerifyArgs = ArgsOf<typeof verifyOptionTable>;

/**
 * VerifyOptions fields the command line sets from no option of its own, and why; the test beside
 * this file holds every field to either being set from a full command line or a reason here.
 */
export const verifyOptionsWithoutFlag = {
  cwd: "the process's working directory",
  onProgress: 'the command draws its own progress bar on stderr',
  'broker.onNotice': 'the command prints the broker notices on stderr',
  'broker.includePendingStatus': 'follows --branch, as with the Pact CLIs',
  'broker.timeoutMs': "the broker client's deadline (30 s) applies",
  'monolith.rewritePaths': "the monolith is the reference: only the candidate's paths are rewritten",
} as const;

/** Each target's state URL and state module exclude each other (the shared ones too). */
function refuseTwoStateSources(args: VerifyArgs): void {
  for (const [prefix, target] of [
    ['', 'targets'],
    ['monolith-', 'monolith'],
    ['candidate-', 'candidate'],
  ] as const) {
    if (args[`${prefix}state-url`] !== undefined && args[`${prefix}state-module`] !== undefined)
      throw new UsageError(`Give the ${target} a state URL or a state module, not both`);
  }
}

/**
 * The programmatic options of a `cutover verify` command line, and where its results are published
 * (`--publish`). Every check that can refuse the command line runs here, before anything is contacted.
 */
export function toVerifyOptions(
  args: VerifyArgs,
  io: Pick<CliIo, 'cwd' | 'env' | 'stderr'>,
): { options: VerifyOptions; publishUrl?: string; auth: { token?: string; username?: string; password?: string } } {
  const pacts = pactArgs(args);
  refuseTwoStateSources(args);
  const mapped = mapOptions(args, verifyOptionTable);
  // Checked up front: a rule must never be dropped silently, even when there is no candidate.
  if (mapped.candidate?.rewritePaths && args.candidate === undefined)
    throw new UsageError("--rewrite-path rewrites the candidate's paths: give --candidate too");
  const broker = resolveBrokerConnection(brokerFlags(args), io.env);
  // PACT_BROKER_BASE_URL is where pacts come from only when no --pact names them; it is always where results go.
  const brokerUrl = broker.urlFrom === 'env' && pacts.length > 0 ? undefined : broker.url;
  const auth = broker.auth ?? {};
  if (args.publish && (!args['provider-version'] || !args.branch))
    throw new UsageError('--publish needs --provider-version and --branch');
  if (brokerUrl && !args.provider) throw new UsageError('--broker-url needs --provider');
  checkWipSince(args, brokerUrl);
  if (args.publish && !broker.url) throw new UsageError('--publish needs --broker-url (or PACT_BROKER_BASE_URL)');

  const { broker: brokerOptions, monolith, candidate, ...rest } = mapped;
  const options: VerifyOptions = { ...rest, cwd: io.cwd };
  if (pacts.length > 0) options.pacts = pacts;
  if (brokerUrl)
    options.broker = {
      ...brokerOptions,
      url: brokerUrl,
      provider: args.provider!,
      ...auth,
      onNotice: ({ text }) => io.stderr.write(`broker: ${text}\n`),
    };
  // A target's own options (headers, hooks, states) count only when its URL is given.
  if (monolith?.url !== undefined) options.monolith = { ...monolith, url: monolith.url };
  if (candidate?.url !== undefined) options.candidate = { ...candidate, url: candidate.url };
  return { options, ...(args.publish ? { publishUrl: broker.url! } : {}), auth };
}

/**
 * `cutover verify`: replays every consumer interaction against the monolith and/or the candidate.
 * Exit 0 when everything passed, 1 on contract/parity/schema failures or target errors, 2 on
 * usage, configuration or tool errors.
 */
export const verifyCommand: CommandModule = (yargs, io, outcome) =>
  yargs.command(
    'verify [pacts..]',
    commandSummaries.verify,
    (y) => declareOptions(declarePactPositional(y), verifyOptionTable),
    async (argv) => {
      const args = readArgs(argv, verifyOptionTable);
      const { options, publishUrl, auth } = toVerifyOptions(args, io);
      const progress = createProgress(io.stderr, io.env);
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
      if (publishUrl) {
        const published = await publishVerificationResults(report, {
          brokerUrl: publishUrl,
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
