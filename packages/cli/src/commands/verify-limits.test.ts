import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, v3Pact, writePacts } from '@cutover/verifier/testing';
import type { Running } from '@cutover/verifier/testing';
import { runCli } from '../main.js';

let target: Running;
let pactDir: string;
let out: string;

const nested = (depth: number): string => '['.repeat(depth) + '1' + ']'.repeat(depth);

beforeAll(async () => {
  target = await startServer({
    'GET /deep': () => ({ headers: { 'content-type': 'application/json' }, body: nested(5000) }),
    'GET /big': () => ({ body: 'x'.repeat(65536) }),
    'GET /ok': () => ({ body: { id: 1 } }),
  });
  const get = (path: string) => ({
    description: `GET ${path}`,
    request: { method: 'GET', path },
    response: { status: 200 },
  });
  pactDir = (await writePacts([v3Pact('web-app', 'logistics', [get('/deep'), get('/big'), get('/ok')])])).dir;
  out = await mkdtemp(join(tmpdir(), 'cutover-cli-limits-'));
});

afterAll(async () => {
  await target.close();
});

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let outText = '';
  let errText = '';
  stdout.on('data', (c: Buffer) => (outText += c.toString()));
  stderr.on('data', (c: Buffer) => (errText += c.toString()));
  const code = await runCli(args, { stdout, stderr, env: { CI: '1' }, cwd: out });
  return { code, stdout: outText, stderr: errText };
}

describe('cutover verify limits', () => {
  it('exits 2 on a numeric option out of range, naming the option and the allowed range', async () => {
    const cases: [string[], string][] = [
      [['--timeout', '3000000000'], '--timeout must be an integer from 1 to 2147483647, got 3000000000'],
      [['--retries', '50'], '--retries must be an integer from 0 to 10, got 50'],
      [['--concurrency', '0'], '--concurrency must be an integer from 1 to 512, got 0'],
      [['--noise-samples', '11'], '--noise-samples must be an integer from 1 to 10, got 11'],
      [['--max-body', '2GB'], '--max-body must be from 1 byte to 1 GiB, got 2 GiB'],
      [['--max-body', 'lots'], '--max-body must be a size such as 10MB, 512KB or 1048576 (bytes), got "lots"'],
    ];
    for (const [option, message] of cases) {
      const result = await cli(['verify', '--pact', pactDir, '--monolith', target.url, ...option]);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(`cutover: [CUTOVER_USAGE] ${message}\n`);
    }
  });

  it('errors only the interaction whose body nests JSON 5,000 deep or passes --max-body (exit 1), and writes every report', async () => {
    const result = await cli([
      'verify',
      '--pact',
      pactDir,
      '--monolith',
      target.url,
      '--max-body',
      '32KB',
      '--json',
      'verify.json',
      '--junit',
      'verify.xml',
      '--markdown',
      'verify.md',
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('3 interactions: 1 passed');
    const report = JSON.parse(await readFile(join(out, 'verify.json'), 'utf8')) as {
      results: {
        description: string;
        targets: { monolith: { outcome: string; error?: { code: string; message: string } } };
      }[];
    };
    const [deep, big, ok] = report.results.map((r) => r.targets.monolith);
    expect(deep).toMatchObject({ outcome: 'error', error: { code: 'CUTOVER_LIMIT_EXCEEDED' } });
    expect(deep!.error!.message).toContain('nests JSON deeper than 256 levels');
    expect(big).toMatchObject({ outcome: 'error', error: { code: 'CUTOVER_LIMIT_EXCEEDED' } });
    expect(big!.error!.message).toMatch(/answered a body of .*over the 32 KiB body limit/);
    expect(ok).toMatchObject({ outcome: 'pass' });
    expect(existsSync(join(out, 'verify.xml'))).toBe(true);
    expect(existsSync(join(out, 'verify.md'))).toBe(true);
  });

  it('exits 2 on a pact body nested deeper than the limit, naming the file and the JSON path', async () => {
    const file = join(out, 'deep-pact.json');
    await writeFile(
      file,
      `{"consumer":{"name":"web-app"},"provider":{"name":"logistics"},"metadata":{"pactSpecification":{"version":"3.0.0"}},` +
        `"interactions":[{"description":"deep","request":{"method":"POST","path":"/ok","body":${nested(5000)}},"response":{"status":200}}]}`,
    );
    const result = await cli(['verify', '--pact', file, '--monolith', target.url]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('[CUTOVER_PACT_INVALID]');
    expect(result.stderr).toContain(
      `${file}: $.interactions[0].request.body: expected JSON nested at most 256 levels deep, got JSON nested deeper`,
    );
  });

  it('exits 2 on a RandomString generator of 2,000,000,000 characters, naming the JSON path, without building it', async () => {
    const { files } = await writePacts([
      v3Pact('web-app', 'logistics', [
        {
          description: 'huge',
          request: {
            method: 'POST',
            path: '/ok',
            body: { name: 'x' },
            generators: { body: { '$.name': { type: 'RandomString', size: 2_000_000_000 } } },
          },
          response: { status: 200 },
        },
      ]),
    ]);
    const result = await cli(['verify', '--pact', files[0]!, '--monolith', target.url]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `${files[0]}: $.interactions[0].request.generators.body['$.name'].size: expected an integer from 0 to 10000, got the number 2000000000`,
    );
  });

  it.runIf(process.platform === 'linux')(
    'exits 2 at once on a report path under /proc, naming it',
    async () => {
      const result = await cli([
        'verify',
        '--pact',
        pactDir,
        '--monolith',
        target.url,
        '--json',
        '/proc/cutover/verify.json',
      ]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('[CUTOVER_OUTPUT_FAILED] /proc/cutover/verify.json: cannot write');
    },
    10_000,
  );
});
