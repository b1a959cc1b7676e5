import { PassThrough } from 'node:stream';
import yargs from 'yargs';
import { describe, expect, it } from 'vitest';
import type { BrokerOptions, TargetOptions, VerifyFilters, VerifyOptions } from '@cutover/verifier';
import { declareOptions, readArgs } from '../options.js';
import { toVerifyOptions, verifyOptionTable, verifyOptionsWithoutFlag } from './verify.js';

/**
 * Every VerifyOptions field, nested ones by path. Typed as complete records: a field added to the
 * programmatic options fails the type check here until it is listed, and then this test until the
 * command line reaches it or `verifyOptionsWithoutFlag` says why not.
 */
const fields = {
  top: {
    pacts: 1,
    broker: 1,
    monolith: 1,
    candidate: 1,
    stateLanes: 1,
    filters: 1,
    noise: 1,
    noiseSamples: 1,
    sampleUnsafeMethods: 1,
    openapi: 1,
    refRoot: 1,
    allowRemoteRefs: 1,
    concurrency: 1,
    timeoutMs: 1,
    retries: 1,
    maxBodyBytes: 1,
    provider: 1,
    cwd: 1,
    onProgress: 1,
    allowEmpty: 1,
  } satisfies Record<keyof VerifyOptions, 1>,
  broker: {
    url: 1,
    provider: 1,
    consumerVersionSelectors: 1,
    username: 1,
    password: 1,
    token: 1,
    providerVersionBranch: 1,
    includePendingStatus: 1,
    includeWipPactsSince: 1,
    timeoutMs: 1,
    onNotice: 1,
  } satisfies Record<keyof BrokerOptions, 1>,
  target: { url: 1, states: 1, headers: 1, requestHook: 1, rewritePaths: 1 } satisfies Record<keyof TargetOptions, 1>,
  filters: { consumers: 1, descriptions: 1, states: 1, routes: 1 } satisfies Record<keyof VerifyFilters, 1>,
  provider: { name: 1, version: 1, branch: 1 } satisfies Record<keyof NonNullable<VerifyOptions['provider']>, 1>,
};
const nested: Record<string, Record<string, 1>> = {
  broker: fields.broker,
  monolith: fields.target,
  candidate: fields.target,
  filters: fields.filters,
  provider: fields.provider,
};
const everyField = Object.keys(fields.top).flatMap((key) =>
  nested[key] ? Object.keys(nested[key]).map((sub) => `${key}.${sub}`) : [key],
);

/** A valid value for every option (state URLs and modules exclude each other: two command lines). */
const samples: Record<keyof typeof verifyOptionTable, string[]> = {
  pact: ['pacts/'],
  'broker-url': ['http://broker.test'],
  provider: ['logistics'],
  'consumer-version-selector': ['{"mainBranch":true}'],
  'include-wip-pacts-since': ['2026-01-01'],
  'broker-token': ['t0ken'],
  'broker-username': [],
  'broker-password': [],
  monolith: ['http://monolith.test'],
  candidate: ['http://candidate.test'],
  'state-url': ['http://monolith.test/states'],
  'state-module': [],
  'monolith-state-url': ['http://monolith.test/own-states'],
  'monolith-state-module': [],
  'candidate-state-url': [],
  'candidate-state-module': ['states.js'],
  'shared-state': [],
  header: ['X-Shared: 1'],
  'monolith-header': ['X-Mine: 2'],
  'candidate-header': ['X-Theirs: 3'],
  'request-hook': ['hook.js'],
  'monolith-request-hook': ['monolith-hook.js'],
  'candidate-request-hook': ['candidate-hook.js'],
  'rewrite-path': ['/api=/'],
  'filter-consumer': ['web-app'],
  'filter-description': ['tracking'],
  'filter-state': ['a shipment'],
  'filter-route': ['GET /shipments/*'],
  noise: ['noise.yaml'],
  'noise-samples': ['3'],
  'sample-unsafe-methods': [],
  openapi: ['openapi.yaml'],
  'ref-root': ['.'],
  'allow-remote-refs': [],
  concurrency: ['4'],
  timeout: ['5000'],
  retries: ['1'],
  'max-body': ['1MB'],
  json: ['r.json'],
  junit: ['r.xml'],
  markdown: ['r.md'],
  publish: [],
  'provider-version': ['1.2.3'],
  branch: ['main'],
  'build-url': ['http://ci.test/1'],
  'allow-empty': [],
};

function commandLine(overrides: Partial<typeof samples> = {}): string[] {
  return Object.entries({ ...samples, ...overrides }).flatMap(([name, values]) => {
    const option = verifyOptionTable[name as keyof typeof verifyOptionTable];
    if (option.type === 'boolean') return values.length === 0 ? [`--${name}`] : [];
    return values.flatMap((value) => [`--${name}`, value]);
  });
}

/** The field paths an options object sets (nested records by path, one level deep). */
function setFields(options: VerifyOptions): string[] {
  return Object.entries(options).flatMap(([key, value]) =>
    nested[key] && value !== undefined ? Object.keys(value as object).map((sub) => `${key}.${sub}`) : [key],
  );
}

function optionsFrom(argv: string[], env: NodeJS.ProcessEnv = {}): VerifyOptions {
  const parsed = declareOptions(yargs(), verifyOptionTable).exitProcess(false).strict().parseSync(argv);
  return toVerifyOptions(readArgs(parsed, verifyOptionTable), { cwd: '/work', env, stderr: new PassThrough() }).options;
}

describe('cutover verify options', () => {
  it('has a sample value for every option in the table', () => {
    expect(Object.keys(samples).sort()).toEqual(Object.keys(verifyOptionTable).sort());
  });

  it('reaches every programmatic option from the command line, or says why not', () => {
    const withUrls = setFields(optionsFrom(commandLine()));
    // The other side of each either-or: state modules, and basic auth instead of a token.
    const withModules = setFields(
      optionsFrom(
        commandLine({
          'state-url': [],
          'monolith-state-url': [],
          'state-module': ['states.js'],
          'broker-token': [],
          'broker-username': ['me'],
          'broker-password': ['secret'],
        }),
      ),
    );
    const reached = new Set([...withUrls, ...withModules]);
    const unreached = everyField.filter((field) => !reached.has(field) && !(field in verifyOptionsWithoutFlag));
    expect(unreached).toEqual([]);
  });

  it('gives a reason for each field it leaves to the program, and names only real fields', () => {
    for (const [field, reason] of Object.entries(verifyOptionsWithoutFlag)) {
      expect(everyField).toContain(field);
      expect(reason.length).toBeGreaterThan(10);
    }
  });

  it("gives a target's own state source, headers and hook precedence over the shared ones", () => {
    const options = optionsFrom([
      '--monolith',
      'http://m.test',
      '--candidate',
      'http://c.test',
      '--state-url',
      'http://shared.test/states',
      '--candidate-state-module',
      'states.js',
      '--header',
      'X-A: shared',
      '--header',
      'X-B: shared',
      '--candidate-header',
      'X-B: own',
      '--request-hook',
      'shared.js',
      '--monolith-request-hook',
      'own.js',
    ]);
    expect(options.monolith).toEqual({
      url: 'http://m.test',
      states: { url: 'http://shared.test/states' },
      headers: { 'X-A': 'shared', 'X-B': 'shared' },
      requestHook: 'own.js',
    });
    expect(options.candidate).toEqual({
      url: 'http://c.test',
      states: { module: 'states.js' },
      headers: { 'X-A': 'shared', 'X-B': 'own' },
      requestHook: 'shared.js',
    });
  });
});
