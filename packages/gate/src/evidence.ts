import { readFile } from 'node:fs/promises';
import {
  EvidenceError,
  isObject,
  openPact,
  pactSha256,
  readPactFile,
  resolvePactFiles,
  UsageError,
  RESULTS_FORMAT,
  schemaViolationKey,
  summarizeResults,
  type InteractionResult,
  type PactReference,
  type VerificationFilters,
  type VerificationReport,
} from '@cutover/core';
import {
  collectBrokerEvidence,
  pactRequests,
  type BrokerEvidenceOptions,
  type PactRequest,
} from './broker-evidence.js';
import { versionProblem } from './values.js';

/** Stable codes of the reasons a route is blocked. */
export type ReasonCode =
  | 'evidence-unavailable'
  | 'no-interactions'
  | 'consumer-missing'
  | 'interaction-missing'
  | 'evidence-partial'
  | 'method-not-verified'
  | 'route-broader-than-evidence'
  | 'not-verified'
  | 'stale-evidence'
  | 'pact-not-fingerprinted'
  | 'evidence-too-old'
  | 'evidence-from-future'
  | 'wrong-candidate-version'
  | 'mixed-candidate-versions'
  | 'wrong-provider'
  | 'interaction-errored'
  | 'interaction-skipped'
  | 'pact-failed'
  | 'parity-differs'
  | 'parity-noise'
  | 'parity-not-compared'
  | 'parity-unprovable'
  | 'schema-regression'
  | 'schema-baseline'
  | 'schema-not-checked'
  | 'openapi-missing'
  | 'operation-not-exercised'
  | 'shadow-missing'
  | 'shadow-insufficient'
  | 'shadow-differs';

/**
 * A problem with the evidence itself, found while collecting it. `requests` says which requests it
 * concerns (from the consumer's pact), so it blocks only the routes they fall under; without it the
 * problem blocks every route.
 */
export interface EvidenceProblem {
  code: ReasonCode;
  message: string;
  source: string;
  consumer?: string;
  requests?: { method: string; path: string }[];
}

/** One verification run, from a results file or a broker verification. */
export interface EvidenceReport {
  kind: 'file' | 'broker';
  /** File path or verification URL. */
  source: string;
  provider?: string;
  /** The candidate version that was verified (`provider.version` of the report). */
  candidateVersion?: string;
  startedAt: string;
  finishedAt: string;
  pacts: PactReference[];
  /** The filters of the run (`verify --filter-…`): its results cover part of the pacts only. */
  filters?: VerificationFilters;
  results: InteractionResult[];
}

/** Everything the gate decides on. */
export interface Evidence {
  reports: EvidenceReport[];
  problems: EvidenceProblem[];
}

export interface FileEvidenceOptions {
  resultsFiles: string[];
}

export type CollectEvidenceOptions = FileEvidenceOptions | BrokerEvidenceOptions;

/**
 * Checks that one interaction result has what the gate reads; throws naming the JSON path.
 * Exported for the broker reader, which gets the same objects inside `testResults[].cutover`.
 */
export function checkInteractionResult(value: unknown, source: string, jsonPath: string): InteractionResult {
  const bad = (what: string): never => {
    throw new EvidenceError(`${source}: ${jsonPath}${what}`, { details: { source, jsonPath } });
  };
  if (!isObject(value)) return bad(' is not an interaction result object');
  if (typeof value.consumer !== 'string') bad('.consumer must be a string');
  if (typeof value.description !== 'string') bad('.description must be a string');
  if (typeof value.provider !== 'string') bad('.provider must be a string');
  for (const key of ['pact', 'index'] as const)
    if (value[key] !== undefined && !(Number.isInteger(value[key]) && (value[key] as number) >= 0))
      bad(`.${key} must be a non-negative integer`);
  const route = value.route;
  if (!isObject(route) || typeof route.method !== 'string' || typeof route.path !== 'string')
    bad('.route must have string "method" and "path"');
  if (!isObject(value.targets)) bad('.targets must be an object');
  for (const [name, outcome] of Object.entries(value.targets as object)) {
    if (!isObject(outcome) || !['pass', 'fail', 'error', 'skipped'].includes(outcome.outcome as string))
      bad(`.targets.${name}.outcome must be one of pass, fail, error, skipped`);
    else if (!Array.isArray(outcome.mismatches)) bad(`.targets.${name}.mismatches must be an array`);
  }
  const parity = value.parity;
  if (!isObject(parity) || !['identical', 'noise-only', 'differs', 'not-compared'].includes(parity.status as string))
    bad('.parity.status must be one of identical, noise-only, differs, not-compared');
  else if (!Array.isArray(parity.differences) || !Array.isArray(parity.noise))
    bad('.parity.differences and .parity.noise must be arrays');
  if (value.schema !== undefined) {
    const schema = value.schema;
    if (!isObject(schema) || !Array.isArray(schema.regressions) || !Array.isArray(schema.baseline))
      bad('.schema must have "regressions" and "baseline" arrays');
  }
  const result = value as unknown as InteractionResult;
  checkConsistency(result, bad);
  return result;
}

/**
 * Well-formed but self-contradicting results (parity "identical" with differences, a "pass" with
 * mismatches, parity claimed without a monolith response) are refused: the gate reads the status
 * fields, so a contradiction could let a difference through. `cutover verify` never writes them.
 */
function checkConsistency(result: InteractionResult, bad: (what: string) => never): void {
  for (const [name, outcome] of Object.entries(result.targets))
    if (outcome?.outcome === 'pass' && outcome.mismatches.length > 0)
      bad(
        `.targets.${name}.mismatches has ${outcome.mismatches.length} mismatch(es) but .targets.${name}.outcome is "pass"`,
      );
  const { status, differences, noise } = result.parity;
  if (status === 'identical' && differences.length + noise.length > 0)
    bad(`.parity.${differences.length > 0 ? 'differences' : 'noise'} is not empty but .parity.status is "identical"`);
  if (status === 'noise-only' && differences.length > 0)
    bad(`.parity.differences has ${differences.length} difference(s) but .parity.status is "noise-only"`);
  if (status === 'noise-only' && noise.length === 0) bad('.parity.noise is empty but .parity.status is "noise-only"');
  if (status === 'differs' && differences.length === 0)
    bad('.parity.differences is empty but .parity.status is "differs"');
  if (status === 'not-compared' && differences.length + noise.length > 0)
    bad(
      `.parity.${differences.length > 0 ? 'differences' : 'noise'} is not empty but .parity.status is "not-compared"`,
    );
  if (status !== 'not-compared')
    for (const target of ['monolith', 'candidate'] as const) {
      const outcome = result.targets[target]?.outcome;
      // Parity compares two observed responses; without one of them nothing was compared.
      if (outcome !== 'pass' && outcome !== 'fail')
        bad(
          `.targets.${target}${outcome === undefined ? ' is missing' : `.outcome is "${outcome}"`} but .parity.status is "${status}" (parity needs both responses)`,
        );
    }
  const schema = result.schema;
  if (schema !== undefined) {
    const lists = ['monolith', 'candidate'] as const;
    for (const list of lists) if (!Array.isArray(schema[list])) bad(`.schema.${list} must be an array of violations`);
    const monolith = new Set(schema.monolith.map(schemaViolationKey));
    const candidate = new Set(schema.candidate.map(schemaViolationKey));
    const split = new Set([...schema.regressions, ...schema.baseline].map(schemaViolationKey));
    schema.regressions.forEach((v, i) => {
      if (!candidate.has(schemaViolationKey(v))) bad(`.schema.regressions[${i}] is not among .schema.candidate`);
      if (monolith.has(schemaViolationKey(v)))
        bad(`.schema.regressions[${i}] is among .schema.monolith, so it is a baseline violation, not a regression`);
    });
    schema.baseline.forEach((v, i) => {
      if (!candidate.has(schemaViolationKey(v)) || !monolith.has(schemaViolationKey(v)))
        bad(`.schema.baseline[${i}] is not among both .schema.candidate and .schema.monolith`);
    });
    schema.candidate.forEach((v, i) => {
      // A candidate violation in neither list would never be judged.
      if (!split.has(schemaViolationKey(v)))
        bad(`.schema.candidate[${i}] is in neither .schema.regressions nor .schema.baseline`);
    });
  }
}

/**
 * Validates a parsed verification report (`cutover.verification/v1`) and turns it into evidence.
 * Another format is refused, naming what was found.
 */
export function reportToEvidence(value: unknown, source: string): EvidenceReport {
  if (!isObject(value))
    throw new EvidenceError(`${source}: not a cutover verification report (expected a JSON object)`, {
      details: { source },
    });
  if (value.format !== RESULTS_FORMAT) {
    const found = value.format === undefined ? 'no "format" field' : `format ${JSON.stringify(value.format)}`;
    const hint = Array.isArray(value.interactions) ? ' (this looks like a pact file, not verification results)' : '';
    throw new EvidenceError(
      `${source}: not a cutover verification report: found ${found}${hint}; expected "format": "${RESULTS_FORMAT}" as written by \`cutover verify --json\``,
      { details: { source, jsonPath: '$.format' } },
    );
  }
  const report = value as unknown as VerificationReport;
  const needString = (ok: boolean, jsonPath: string, what: string): void => {
    if (!ok) throw new EvidenceError(`${source}: ${jsonPath} ${what}`, { details: { source, jsonPath } });
  };
  needString(
    typeof report.startedAt === 'string' && !Number.isNaN(Date.parse(report.startedAt)),
    '$.startedAt',
    'must be an ISO 8601 time',
  );
  needString(
    typeof report.finishedAt === 'string' && !Number.isNaN(Date.parse(report.finishedAt)),
    '$.finishedAt',
    'must be an ISO 8601 time',
  );
  needString(
    isObject(report.provider) && typeof report.provider.name === 'string',
    '$.provider.name',
    'must be a string',
  );
  if (report.provider.version !== undefined) {
    // The version is written into the routing artifacts' comments and reports.
    const problem =
      typeof report.provider.version === 'string' ? versionProblem(report.provider.version) : 'is not a string';
    needString(problem === undefined, '$.provider.version', `${problem ?? ''}`);
  }
  needString(
    Date.parse(report.startedAt) <= Date.parse(report.finishedAt),
    '$.finishedAt',
    `(${report.finishedAt}) is before $.startedAt (${report.startedAt})`,
  );
  needString(Array.isArray(report.pacts), '$.pacts', 'must be an array');
  needString(Array.isArray(report.results), '$.results', 'must be an array');
  report.pacts.forEach((pact, i) => {
    needString(isObject(pact) && typeof pact.consumer === 'string', `$.pacts[${i}].consumer`, 'must be a string');
    needString(typeof pact.provider === 'string', `$.pacts[${i}].provider`, 'must be a string');
    if (pact.createdAt !== undefined)
      needString(!Number.isNaN(Date.parse(pact.createdAt)), `$.pacts[${i}].createdAt`, 'must be an ISO 8601 time');
  });
  const results = report.results.map((r, i) => checkInteractionResult(r, source, `$.results[${i}]`));
  results.forEach((result, i) => {
    if (result.pact === undefined) return;
    const pact = report.pacts[result.pact];
    needString(
      pact !== undefined,
      `$.results[${i}].pact`,
      `(${result.pact}) points at no pact: $.pacts has ${report.pacts.length} entr${report.pacts.length === 1 ? 'y' : 'ies'}`,
    );
    for (const key of ['consumer', 'provider'] as const)
      needString(
        pact![key] === result[key],
        `$.results[${i}].${key}`,
        `(${JSON.stringify(result[key])}) contradicts $.pacts[${result.pact}].${key} (${JSON.stringify(pact![key])}), the pact it says it came from`,
      );
  });
  checkSummary(report, results, needString);
  const filters = checkFilters(report.filters, needString);
  return {
    kind: 'file',
    source,
    provider: report.provider.name,
    ...(report.provider.version !== undefined ? { candidateVersion: report.provider.version } : {}),
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    pacts: report.pacts,
    ...(filters ? { filters } : {}),
    results,
  };
}

type Check = (ok: boolean, jsonPath: string, what: string) => void;

/** A summary is what the results add up to; one that says otherwise is refused, not believed. */
function checkSummary(report: VerificationReport, results: InteractionResult[], check: Check): void {
  check(isObject(report.summary), '$.summary', 'must be an object');
  const expected = summarizeResults(results);
  const claimed = report.summary as unknown as Record<string, unknown>;
  for (const key of ['interactions', 'passed', 'failed', 'errored', 'skipped'] as const)
    check(
      claimed[key] === expected[key],
      `$.summary.${key}`,
      `(${JSON.stringify(claimed[key])}) contradicts $.results, which ${key === 'interactions' ? 'hold' : `count as ${key}`} ${expected[key]}`,
    );
  const parity = claimed.parity as Record<string, unknown> | undefined;
  check(isObject(parity), '$.summary.parity', 'must be an object');
  for (const key of ['identical', 'noiseOnly', 'differs', 'notCompared'] as const)
    check(
      parity![key] === expected.parity[key],
      `$.summary.parity.${key}`,
      `(${JSON.stringify(parity![key])}) contradicts $.results, where ${expected.parity[key]} have that parity status`,
    );
}

function checkFilters(value: unknown, check: Check): VerificationFilters | undefined {
  if (value === undefined) return undefined;
  check(isObject(value), '$.filters', 'must be an object');
  for (const [key, list] of Object.entries(value as object))
    check(
      ['consumers', 'descriptions', 'states', 'routes'].includes(key) &&
        Array.isArray(list) &&
        list.every((v) => typeof v === 'string'),
      `$.filters.${key}`,
      'must be one of consumers, descriptions, states, routes, as an array of strings',
    );
  return value as VerificationFilters;
}

/** Reads one `cutover verify --json` file. */
export async function readResultsFile(file: string): Promise<EvidenceReport> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new EvidenceError(`${file}: cannot read the results file: ${(error as Error).message}`, {
      details: { source: file },
      cause: error,
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new EvidenceError(`${file}: the results file is not JSON: ${(error as Error).message}`, {
      details: { source: file },
      cause: error,
    });
  }
  return reportToEvidence(value, file);
}

/**
 * Gathers the evidence the gate decides on: verification results files, or the latest verification
 * of every consumer's latest pact in a Pact Broker for one candidate version. A broker that cannot
 * be reached does not throw: it becomes an `evidence-unavailable` problem that blocks every route.
 * Unreadable or foreign files throw (the run is an error, exit 2).
 *
 * @example
 * const evidence = await collectEvidence({ resultsFiles: ['reports/verify.json'] });
 * const evidence = await collectEvidence({ brokerUrl: 'https://broker', provider: 'logistics', candidateVersion: 'abc123' });
 */
export async function collectEvidence(options: CollectEvidenceOptions): Promise<Evidence> {
  if ('resultsFiles' in options) {
    if (options.resultsFiles.length === 0)
      throw new UsageError('no results files given: pass at least one `cutover verify --json` file');
    const reports = await Promise.all(options.resultsFiles.map((f) => readResultsFile(f)));
    return { reports, problems: [] };
  }
  return collectBrokerEvidence(options);
}

/** A pact file as it is now: which content the evidence must have verified. */
export interface PactFingerprint {
  consumer: string;
  provider: string;
  source: string;
  /** SHA-256 of the file's bytes, as `cutover verify` records it in `pacts[].sha256`. */
  sha256: string;
  requests: PactRequest[];
}

/**
 * Reads the current pact files, so the gate can tell whether the evidence verified exactly this
 * content and has a result for every request of it under a route. Takes what `--pact` takes in
 * every command (files, folders searched at any depth, globs; relative to `cwd`) and reads each
 * pact as `cutover verify` does, so the fingerprints are the ones verify records.
 *
 * @example
 * const pacts = await readPactFingerprints(['contracts/pacts', 'more/*.json']);
 */
export async function readPactFingerprints(paths: string[], cwd = process.cwd()): Promise<PactFingerprint[]> {
  const files = await resolvePactFiles(paths, cwd);
  return Promise.all(
    files.map(async (file) => {
      const bytes = await readPactFile(file);
      const pact = openPact(bytes, { source: file });
      return {
        consumer: pact.consumer.name,
        provider: pact.provider.name,
        source: file,
        sha256: pactSha256(bytes),
        requests: pactRequests(pact),
      };
    }),
  );
}
