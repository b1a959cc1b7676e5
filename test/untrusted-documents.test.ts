import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cutover, ROOT } from './support/cli.js';

/**
 * OpenAPI documents, policies and noise files can come from a pull request: through the CLI, their
 * `$ref`s read no file outside the document's folder and fetch nothing unless allowed (never an
 * internal address), and YAML alias bombs are refused with a coded error naming the file.
 */
const SECRET = 'PACT_BROKER_TOKEN=s3cr3t-from-the-environment';
const dir = mkdtempSync(join(tmpdir(), 'cutover-untrusted-'));
const requests: string[] = [];
let server: Server;
let base: string;

const documentWithRef = (ref: string): string =>
  [
    'openapi: 3.0.3',
    "info: { title: things, version: '1' }",
    'paths:',
    '  /things/{id}:',
    '    get:',
    '      parameters: [{ name: id, in: path, required: true, schema: { type: integer } }]',
    '      responses:',
    "        '200':",
    '          description: ok',
    '          content:',
    '            application/json:',
    `              schema: { $ref: '${ref}' }`,
    '',
  ].join('\n');
const REF_POINTER = '#/paths/~1things~1{id}/get/responses/200/content/application~1json/schema';

const bomb = (indent: string): string =>
  [
    `${indent}a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]`,
    ...'bcdefghi'.split('').map((n, i) => `${indent}${n}: &${n} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`),
  ].join('\n');

const pact = {
  consumer: { name: 'web' },
  provider: { name: 'things' },
  interactions: [
    {
      description: 'a thing',
      request: { method: 'GET', path: '/things/1' },
      response: { status: 200, headers: { 'Content-Type': 'application/json' }, body: { id: 1 } },
    },
  ],
  metadata: { pactSpecification: { version: '2.0.0' } },
};

function write(relative: string, text: string): string {
  const file = join(dir, relative);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
  return file;
}

beforeAll(async () => {
  write('secret.env', `${SECRET}\n`);
  write('shared/thing.yaml', 'type: object\nrequired: [id]\nproperties: { id: { type: integer } }\n');
  write('pacts/web-things.json', JSON.stringify(pact));
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 1 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  requests.length = 0;
});

const check = (document: string, ...extra: string[]) =>
  cutover(['openapi', 'check', '--openapi', document, '--pact', 'pacts', ...extra], { cwd: dir });

describe('cutover openapi check', () => {
  it('refuses a $ref outside the document’s folder with exit 2, naming the $ref, and never prints the file', async () => {
    write('api/escape.yaml', documentWithRef('../secret.env'));
    const { code, stdout, stderr } = await check('api/escape.yaml');
    expect(code).toBe(2);
    expect(stderr).toContain(
      `[CUTOVER_OPENAPI_INVALID] api/escape.yaml: the $ref at ${REF_POINTER} to ../secret.env is refused: it is outside ${join(dir, 'api')}`,
    );
    expect(stdout + stderr).not.toContain('s3cr3t');
  });

  it('refuses /proc/self/environ, even with --ref-root /', async () => {
    write('api/environ.yaml', documentWithRef('/proc/self/environ'));
    for (const extra of [[], ['--ref-root', '/']]) {
      const { code, stdout, stderr } = await check('api/environ.yaml', ...extra);
      expect(code).toBe(2);
      expect(stderr).toMatch(
        /\[CUTOVER_OPENAPI_INVALID\] api\/environ\.yaml: the \$ref at .* to \/proc\/self\/environ is refused/,
      );
      expect(stdout + stderr).not.toContain('s3cr3t');
    }
  });

  it('refuses a symbolic link leading out of the folder', async () => {
    mkdirSync(join(dir, 'linked'), { recursive: true });
    symlinkSync(join(dir, 'secret.env'), join(dir, 'linked', 'thing.yaml'));
    write('linked/openapi.yaml', documentWithRef('./thing.yaml'));
    const { code, stderr } = await check('linked/openapi.yaml');
    expect(code).toBe(2);
    expect(stderr).toMatch(/to \.\/thing\.yaml is refused: it is a symbolic link leading outside/);
  });

  it('follows $refs into the folder --ref-root widens it to', async () => {
    write('api/shared-ref.yaml', documentWithRef('../shared/thing.yaml'));
    expect((await check('api/shared-ref.yaml')).code).toBe(2);
    const { code, stdout, stderr } = await check('api/shared-ref.yaml', '--ref-root', '.');
    expect(stderr).toBe('');
    expect(stdout).toMatch(/1 interaction/);
    expect(code).toBe(0);
  });

  it('does not contact a remote $ref’s server without --allow-remote-refs, nor a loopback one with it', async () => {
    write('api/remote.yaml', documentWithRef(`${base}/thing.yaml`));
    const refused = await check('api/remote.yaml');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      `[CUTOVER_OPENAPI_INVALID] api/remote.yaml: the $ref at ${REF_POINTER} to ${base}/thing.yaml is refused: remote $refs are not fetched unless allowed (--allow-remote-refs, allowRemoteRefs)`,
    );
    const allowed = await check('api/remote.yaml', '--allow-remote-refs');
    expect(allowed.code).toBe(2);
    expect(allowed.stderr).toMatch(/is refused: 127\.0\.0\.1:\d+ is a loopback address/);
    expect(requests).toEqual([]);
  });

  it('refuses an OpenAPI alias bomb at once, naming the document', async () => {
    write('api/bomb.yaml', `openapi: 3.0.3\ninfo: { title: x, version: '1' }\npaths: {}\nx-lol:\n${bomb('  ')}\n`);
    const started = Date.now();
    const { code, stderr } = await check('api/bomb.yaml');
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /\[CUTOVER_OPENAPI_INVALID\] api\/bomb\.yaml: the OpenAPI document is refused: its YAML aliases expand it to more than/,
    );
  });
});

describe('cutover verify --openapi', () => {
  const verify = (document: string, ...extra: string[]) =>
    cutover(
      ['verify', '--pact', 'pacts', '--provider', 'things', '--monolith', base, '--openapi', document, ...extra],
      { cwd: dir },
    );

  it('refuses an escaping $ref before replaying anything', async () => {
    write('api/escape.yaml', documentWithRef('../secret.env'));
    const { code, stdout, stderr } = await verify('api/escape.yaml');
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /\[CUTOVER_OPENAPI_INVALID\] .*escape\.yaml: the \$ref at .* to \.\.\/secret\.env is refused/,
    );
    expect(stdout + stderr).not.toContain('s3cr3t');
    expect(requests).toEqual([]);
  });

  it('reads $refs under --ref-root and validates responses against them', async () => {
    write('api/shared-ref.yaml', documentWithRef('../shared/thing.yaml'));
    const { code, stderr } = await verify('api/shared-ref.yaml', '--ref-root', '.');
    expect(stderr).not.toMatch(/CUTOVER_/);
    expect(code).toBe(0);
    expect(requests).toEqual(['/things/1']);
  });
});

describe('cutover gate', () => {
  const policy = join(ROOT, 'contracts/cutover.yaml');

  it('refuses a policy alias bomb with a coded error naming the file', async () => {
    write('bomb-policy.yaml', `version: 1\n${bomb('')}\n`);
    const { code, stderr } = await cutover(['gate', '--policy', 'bomb-policy.yaml', '--results', 'none.json'], {
      cwd: dir,
    });
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /\[CUTOVER_CONFIG_INVALID\] .*bomb-policy\.yaml: the policy is refused: its YAML aliases expand it to more than/,
    );
  });

  it('refuses an OpenAPI document whose $ref escapes its folder, or that is an alias bomb', async () => {
    write('api/escape.yaml', documentWithRef('../secret.env'));
    const escape = await cutover(
      ['gate', '--policy', policy, '--results', 'none.json', '--openapi', 'api/escape.yaml'],
      {
        cwd: dir,
      },
    );
    expect(escape.code).toBe(2);
    expect(escape.stderr).toMatch(
      /\[CUTOVER_OPENAPI_INVALID\] .*escape\.yaml: the \$ref at .* to \.\.\/secret\.env is refused/,
    );
    expect(escape.stdout + escape.stderr).not.toContain('s3cr3t');
    write('api/bomb.yaml', `openapi: 3.0.3\ninfo: { title: x, version: '1' }\npaths: {}\nx-lol:\n${bomb('  ')}\n`);
    const aliases = await cutover(
      ['gate', '--policy', policy, '--results', 'none.json', '--openapi', 'api/bomb.yaml'],
      {
        cwd: dir,
      },
    );
    expect(aliases.code).toBe(2);
    expect(aliases.stderr).toMatch(/\[CUTOVER_OPENAPI_INVALID\] .*bomb\.yaml: the OpenAPI document is refused/);
  });
});
