import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, run } from './support/cli.js';

/**
 * What each command reads at start-up, from the bundle users run: the build lists the packages each
 * file of the bundle holds (dist/bundle-contents.json), and a load hook records the files a command
 * reads. A command must not load another command's packages, nor heavy dependencies it does not use.
 */
const dir = mkdtempSync(join(tmpdir(), 'cutover-startup-'));
const hook = fileURLToPath(new URL('./support/record-loads.mjs', import.meta.url));
const bundle = fileURLToPath(new URL('../packages/cli/dist/bundle/', import.meta.url));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let runs = 0;
/** The packages whose code the bundle files loaded by `cutover <args>` contain. */
async function packagesLoaded(args: string[]): Promise<Set<string>> {
  const record = join(dir, `loads-${runs++}.txt`);
  const result = await run(process.execPath, ['--import', hook, CLI, ...args], {
    env: { CUTOVER_RECORD_LOADS: record },
  });
  expect(result.code, result.stderr).toBe(0);
  const contents = JSON.parse(readFileSync(join(bundle, '..', 'bundle-contents.json'), 'utf8')) as Record<
    string,
    string[]
  >;
  const files = readFileSync(record, 'utf8')
    .split('\n')
    .filter((url) => url.startsWith('file:') && fileURLToPath(url).startsWith(bundle))
    .map((url) => relative(bundle, fileURLToPath(url)).split(sep).join('/'));
  expect(files).toContain('bin.js');
  const names = new Set<string>();
  for (const file of files) {
    expect(contents, `${file} is not listed in bundle-contents.json`).toHaveProperty([file]);
    for (const name of contents[file]!) names.add(name);
  }
  return names;
}

describe('start-up: what each command loads', { timeout: 60_000 }, () => {
  it('cutover --help loads yargs and the command list, no command and no library package', async () => {
    const loaded = await packagesLoaded(['--help']);
    expect(loaded).toContain('yargs');
    for (const name of [
      '@cutover/verifier',
      '@cutover/gate',
      '@cutover/openapi',
      '@cutover/broker',
      'undici',
      'ajv',
      // Only core's error registry: not its parsers and regex engine.
      'js-yaml',
      're2js',
      'jsonc-parser',
    ]) {
      expect(loaded).not.toContain(name);
    }
  });

  it('openapi check loads neither the verifier, an HTTP client nor a meta-schema compiler', async () => {
    const loaded = await packagesLoaded([
      'openapi',
      'check',
      '--openapi',
      'contracts/openapi/logistics.yaml',
      '--pact',
      'contracts/pacts/web-app-logistics.json',
    ]);
    expect(loaded).toContain('@cutover/openapi');
    // The OpenAPI meta-schema check is precompiled: swagger-parser and its ajv are not loaded.
    for (const name of [
      '@cutover/verifier',
      '@cutover/gate',
      'undici',
      '@apidevtools/swagger-parser',
      'ajv-draft-04',
    ]) {
      expect(loaded).not.toContain(name);
    }
  });

  it("the gate's OpenAPI loader (@cutover/openapi/lite) reads and checks a document without loading ajv", async () => {
    const record = join(dir, `loads-${runs++}.txt`);
    const script = `
      import { loadOpenApiOperations } from '@cutover/openapi/lite';
      const { operations } = await loadOpenApiOperations('contracts/openapi/logistics.yaml');
      console.log(operations.length);`;
    const result = await run(process.execPath, ['--import', hook, '--input-type=module', '-e', script], {
      env: { CUTOVER_RECORD_LOADS: record },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(Number(result.stdout)).toBeGreaterThan(10);
    const loaded = readFileSync(record, 'utf8');
    expect(loaded).toContain('/packages/openapi/dist/load.js');
    // The meta-schema check ran: its precompiled validator was loaded.
    expect(loaded).toMatch(/\/generated\/oas-3\.[01]-schema\.js/);
    expect(loaded).not.toMatch(/\/node_modules\/ajv\/|\/openapi\/dist\/schema\.js/);
  });

  it('verify --help loads no OpenAPI tooling, gate, XML parser, regex generator, semver or undici', async () => {
    const loaded = await packagesLoaded(['verify', '--help']);
    expect(loaded).toContain('@cutover/verifier');
    for (const name of [
      '@cutover/openapi',
      '@cutover/gate',
      'ajv',
      '@apidevtools/swagger-parser',
      '@xmldom/xmldom',
      'randexp',
      'semver',
      'tsx',
      // Targets are called through node:http; undici serves only the broker client, on demand.
      'undici',
    ]) {
      expect(loaded).not.toContain(name);
    }
  });

  it('verify of a JSON pact file against http:// targets reads no YAML, glob, tolerant JSON or TLS code', async () => {
    const server = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const pact = join(dir, 'one.json');
      writeFileSync(
        pact,
        JSON.stringify({
          consumer: { name: 'web' },
          provider: { name: 'api' },
          interactions: [
            {
              description: 'ok',
              request: { method: 'GET', path: '/ok' },
              response: { status: 200, body: { ok: true } },
            },
          ],
          metadata: { pactSpecification: { version: '2.0.0' } },
        }),
      );
      const record = join(dir, `loads-${runs++}.txt`);
      const result = await run(
        process.execPath,
        [
          '--import',
          hook,
          CLI,
          'verify',
          '--pact',
          pact,
          '--monolith',
          url,
          '--candidate',
          url,
          '--json',
          join(dir, 'v.json'),
        ],
        { env: { CUTOVER_RECORD_LOADS: record } },
      );
      expect(result.code, result.stderr).toBe(0);
      const loaded = readFileSync(record, 'utf8').split('\n');
      // The record is complete: the bundle, the HTTP client and the report's digest are there.
      expect(loaded).toEqual(expect.arrayContaining(['node:http', 'node:crypto']));
      expect(loaded.some((line) => line.endsWith('/dist/bundle/bin.js'))).toBe(true);
      for (const absent of ['node:https', 'node:tls']) expect(loaded).not.toContain(absent);
      for (const name of ['js-yaml', 'yaml', 'jsonc-parser', 'tinyglobby', 'picomatch', 'fdir']) {
        expect(loaded.filter((line) => line.includes(`/node_modules/${name}/`))).toEqual([]);
      }
      const contents = JSON.parse(readFileSync(join(bundle, '..', 'bundle-contents.json'), 'utf8')) as Record<
        string,
        string[]
      >;
      const bundled = loaded
        .filter((url) => url.startsWith('file:') && fileURLToPath(url).startsWith(bundle))
        .flatMap((url) => contents[relative(bundle, fileURLToPath(url)).split(sep).join('/')] ?? []);
      for (const name of ['tinyglobby', 'picomatch', 'fdir', 'js-yaml', 'jsonc-parser'])
        expect(bundled).not.toContain(name);
    } finally {
      server.close();
    }
  });

  it('@cutover/core loads xmldom, randexp and semver only when a pact needs them, yaml only to locate or write YAML', async () => {
    const script = `
      import { createRequire } from 'node:module';
      import { generateValue, matchHttpResponse, normalizeResponse, parseYaml, yamlLocator } from '@cutover/core';
      const cache = createRequire(import.meta.url).cache;
      const loaded = () => ['@xmldom/xmldom', 'randexp', 'semver', 'yaml'].filter((p) => Object.keys(cache).some((k) => k.includes('/node_modules/' + p + '/')));
      parseYaml('a: 1', { source: 'inline' });
      const json = normalizeResponse({ status: 200, headers: { 'content-type': 'application/json' }, body: { a: 1 } }, 3);
      matchHttpResponse(json, json);
      const steps = [loaded()];
      const xml = normalizeResponse({ status: 200, headers: { 'content-type': 'application/xml' }, body: '<a>1</a>' }, 3);
      matchHttpResponse(xml, xml);
      steps.push(loaded());
      generateValue({ type: 'Regex', regex: '[a-z]{3}' }, 'abc');
      const rules = { body: { '$.v': { matchers: [{ match: 'semver' }] } } };
      const semverResponse = (v, matchingRules) => normalizeResponse({ status: 200, headers: { 'content-type': 'application/json' }, body: { v }, matchingRules }, 3);
      matchHttpResponse(semverResponse('1.2.3', rules), semverResponse('1.2.4'));
      steps.push(loaded());
      yamlLocator('a: 1')(['a']);
      steps.push(loaded());
      console.log(JSON.stringify(steps));`;
    const result = await run(process.execPath, ['--input-type=module', '-e', script]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([
      [],
      ['@xmldom/xmldom'],
      ['@xmldom/xmldom', 'randexp', 'semver'],
      ['@xmldom/xmldom', 'randexp', 'semver', 'yaml'],
    ]);
  });
});
