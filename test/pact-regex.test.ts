import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, cutover } from './support/cli.js';

/**
 * Pact regexes as the reference verifier reads them: one pact of regex matchers, run through
 * `cutover verify` and the stock `pact-verifier` (pact-reference, Oniguruma) side by side.
 */
const STOCK = join(ROOT, 'node_modules', '@pact-foundation', 'pact-cli', 'bin', 'pact-verifier.js');

type Expected = 'pass' | 'fail' | 'refused' | 'unsupported';
// [regex, the value the provider sends, what both verifiers say]. `refused`: the reference fails
// the interaction because Oniguruma refuses the pattern; cutover errors it (CUTOVER_MATCHING_RULE_INVALID).
const CASES: [string, string, Expected][] = [
  ['(?-mix:application\\/hal\\+json.*)', 'application/hal+json;charset=utf-8', 'pass'],
  ['(?i)^abc$', 'ABC', 'pass'],
  ['\\Aabc\\z', 'abc', 'pass'],
  ['\\Aabc\\Z', 'abc', 'pass'],
  ['[[:digit:]]+', '123', 'pass'],
  ['[[:alpha:]]+', 'ab1', 'fail'],
  ['\\p{Alpha}+', 'abç', 'pass'],
  ['(?<name>a)b', 'ab', 'pass'],
  ['\\h+', '0aF', 'pass'],
  ['\\h+', '0aG', 'fail'],
  ['\\d+', '١٢', 'pass'],
  ['(?m).+', 'a\nb', 'pass'],
  ['.+', 'a\nb', 'fail'],
  ['a$', 'a\n', 'fail'],
  ['bc', 'abc', 'fail'],
  ['(?x) a b # comment', 'ab', 'pass'],
  ['a{,2}', 'aa', 'pass'],
  ['a{2}?', '', 'pass'],
  ['a(?i)b|c', 'aC', 'pass'],
  ['a(?i)b|c', 'C', 'fail'],
  ['(?P<name>a)b', 'ab', 'refused'],
  ['(?s).+', 'a', 'refused'],
  ['(a', 'a', 'refused'],
  ['[z-a]', 'a', 'refused'],
  // Valid for Oniguruma but only a backtracking engine runs them: the reference passes,
  // cutover errors the interaction (never a pass it cannot back).
  ['(a)\\1', 'aa', 'unsupported'],
  ['a(?=b)b', 'ab', 'unsupported'],
];

let server: Server;
let port: number;
const dir = mkdtempSync(join(tmpdir(), 'cutover-regex-'));

function pact(cases: [string, string, unknown][]): string {
  const file = join(dir, `pact-${cases.length}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      consumer: { name: 'regex-consumer' },
      provider: { name: 'regex-provider' },
      interactions: cases.map(([regex, value], i) => ({
        description: `case ${i}`,
        request: { method: 'GET', path: `/v/${i}` },
        response: {
          status: 200,
          headers: { 'Content-Type': 'application/json' },
          body: { v: value },
          matchingRules: { body: { '$.v': { matchers: [{ match: 'regex', regex: regex }] } } },
        },
      })),
      metadata: { pactSpecification: { version: '3.0.0' } },
    }),
  );
  return file;
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const i = Number(req.url?.split('/')[2]);
    const value = req.url?.startsWith('/redos') ? `${'a'.repeat(33)}!` : CASES[i]?.[1];
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ v: value }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

function stockVerifier(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [STOCK, '--file', file, '--hostname', '127.0.0.1', '--port', String(port), '--loglevel', 'error'],
      { env: { ...process.env, PACT_DO_NOT_TRACK: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.on('error', reject);
    child.on('close', () => resolve(stdout));
  });
}

interface TargetResult {
  outcome: string;
  error?: { code: string; message: string };
}
interface Report {
  results: { description: string; targets: { monolith: TargetResult } }[];
}

describe('pact regexes, cutover verify beside the stock pact-verifier', () => {
  it('gives the same verdict for every matcher, and errors only the interactions whose regex it cannot run', async () => {
    const file = pact(CASES);
    const json = join(dir, 'verify.json');
    const [stock, ours] = await Promise.all([
      stockVerifier(file),
      cutover(['verify', '--pact', file, '--monolith', `http://127.0.0.1:${port}`, '--json', json]),
    ]);
    expect(ours.code, ours.stderr).toBe(1);
    const failed = new Set(
      [...stock.matchAll(/^\d+\) Verifying a pact between .* - case (\d+)$/gm)].map((m) => Number(m[1])),
    );
    expect(stock).toContain('is not a valid regular expression - Oniguruma error'); // the reference's own refusal
    const report = JSON.parse(readFileSync(json, 'utf8')) as Report;
    expect(report.results).toHaveLength(CASES.length);
    const rows = report.results.map((r) => {
      const i = Number(r.description.replace('case ', ''));
      const [regex, , expected] = CASES[i]!;
      return { regex, expected, stock: failed.has(i) ? 'fail' : 'pass', cutover: r.targets.monolith };
    });
    for (const row of rows) {
      const label = JSON.stringify(row.regex);
      if (row.expected === 'pass' || row.expected === 'fail') {
        expect(row.stock, label).toBe(row.expected);
        expect(row.cutover.outcome, label).toBe(row.expected);
      } else if (row.expected === 'refused') {
        expect(row.stock, label).toBe('fail');
        expect(row.cutover.outcome, label).toBe('error');
        expect(row.cutover.error?.code, label).toBe('CUTOVER_MATCHING_RULE_INVALID');
        expect(row.cutover.error?.message, label).toContain("response.matchingRules.body['$.v'].matchers[0].regex");
      } else {
        expect(row.stock, label).toBe('pass');
        expect(row.cutover.outcome, label).toBe('error');
        expect(row.cutover.error?.code, label).toBe('CUTOVER_REGEX_UNSUPPORTED');
      }
    }
  }, 120_000);
});

describe('ReDoS', () => {
  it('runs (a+)+$ against a 33-character value, as a pact matcher and as an OpenAPI pattern, in well under the timeout', async () => {
    const file = join(dir, 'redos.json');
    writeFileSync(
      file,
      JSON.stringify({
        consumer: { name: 'regex-consumer' },
        provider: { name: 'regex-provider' },
        interactions: [
          {
            description: 'hostile regex',
            request: { method: 'GET', path: '/redos' },
            response: {
              status: 200,
              headers: { 'Content-Type': 'application/json' },
              body: { v: 'aaa' },
              matchingRules: { body: { '$.v': { matchers: [{ match: 'regex', regex: '(a+)+$' }] } } },
            },
          },
        ],
        metadata: { pactSpecification: { version: '3.0.0' } },
      }),
    );
    const openapi = join(dir, 'openapi.json');
    writeFileSync(
      openapi,
      JSON.stringify({
        openapi: '3.0.3',
        info: { title: 'redos', version: '1' },
        paths: {
          '/redos': {
            get: {
              responses: {
                '200': {
                  description: 'ok',
                  content: {
                    'application/json': {
                      schema: { type: 'object', properties: { v: { type: 'string', pattern: '(a+)+$' } } },
                    },
                  },
                },
              },
            },
          },
        },
      }),
    );
    const json = join(dir, 'redos-verify.json');
    const started = Date.now();
    const result = await cutover(
      [
        'verify',
        '--pact',
        file,
        '--monolith',
        `http://127.0.0.1:${port}`,
        '--openapi',
        openapi,
        '--timeout',
        '2000',
        '--json',
        json,
      ],
      { timeoutMs: 30_000 },
    );
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(result.code, result.stderr).toBe(1);
    const report = JSON.parse(readFileSync(json, 'utf8')) as {
      results: {
        targets: { monolith: TargetResult & { mismatches: { message: string }[] } };
        schema?: { monolith: { rule: string }[] };
      }[];
    };
    const [only] = report.results;
    expect(only?.targets.monolith.outcome).toBe('fail');
    expect(JSON.stringify(only?.targets.monolith.mismatches)).toContain('to match the regular expression /(a+)+$/');
    expect(only?.schema?.monolith.map((v) => v.rule)).toContain('pattern');
  }, 60_000);
});
