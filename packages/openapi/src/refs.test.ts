import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadOpenApi, OpenApiError, type LoadOpenApiOptions } from './index.js';
import { addressProblem } from './remote.js';

const SECRET = 'PACT_BROKER_TOKEN=s3cr3t-token-value';

/** A document whose one response schema is `$ref: <ref>`. */
function documentWithRef(ref: string): string {
  return [
    'openapi: 3.0.3',
    "info: { title: refs, version: '1' }",
    'paths:',
    '  /things:',
    '    get:',
    '      responses:',
    "        '200':",
    '          description: ok',
    '          content:',
    '            application/json:',
    `              schema: { $ref: '${ref}' }`,
    '',
  ].join('\n');
}
const REF_POINTER = '/paths/~1things/get/responses/200/content/application~1json/schema';

async function loadError(source: string, options: LoadOpenApiOptions = {}): Promise<OpenApiError> {
  const error = await loadOpenApi(source, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OpenApiError);
  expect((error as OpenApiError).code).toBe('CUTOVER_OPENAPI_INVALID');
  expect((error as Error).message).not.toContain('s3cr3t');
  return error as OpenApiError;
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cutover-refs-'));
  await mkdir(join(dir, 'api'));
  await writeFile(join(dir, 'secret.yaml'), `token: ${SECRET}\n`);
  await writeFile(join(dir, 'api', 'thing.yaml'), 'type: object\nproperties: { id: { type: integer } }\n');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeDocument(ref: string): Promise<string> {
  const file = join(dir, 'api', 'openapi.yaml');
  await writeFile(file, documentWithRef(ref));
  return file;
}

describe('local $refs', () => {
  it('resolve inside the document’s folder tree', async () => {
    const doc = await loadOpenApi(await writeDocument('./thing.yaml'));
    const violations = doc.validateResponse(
      { method: 'GET', path: '/things' },
      { status: 200, body: { id: 'x' }, contentType: 'application/json' },
    );
    expect(violations.map((v) => v.instancePath)).toEqual(['/id']);
  });

  it('are refused outside the document’s folder, naming the document, the $ref’s pointer and the target', async () => {
    const file = await writeDocument('../secret.yaml');
    const error = await loadError(file);
    expect(error.message).toBe(
      `${file}: the $ref at #${REF_POINTER} to ../secret.yaml is refused: it is outside ${join(dir, 'api')}, the folder $refs may read`,
    );
    expect(error.details).toEqual({
      source: file,
      pointer: REF_POINTER,
      ref: '../secret.yaml',
      target: join(dir, 'secret.yaml'),
    });
  });

  it('are refused for absolute paths and file: URLs out of the folder (/proc/self/environ)', async () => {
    for (const ref of ['/proc/self/environ', 'file:///proc/self/environ', '/etc/passwd']) {
      const error = await loadError(await writeDocument(ref));
      expect(error.message).toContain(`to ${ref} is refused: it is outside`);
    }
  });

  it('are refused for special files even when the root is widened to /', async () => {
    const error = await loadError(await writeDocument('/proc/self/environ'), { refRoot: '/' });
    expect(error.message).toMatch(/to \/proc\/self\/environ is refused: it is in \/proc, a special file system/);
    const dev = await loadError(await writeDocument('/dev/zero'), { refRoot: '/' });
    expect(dev.message).toMatch(/to \/dev\/zero is refused: it is in \/dev, a special file system/);
  });

  it('are refused for a FIFO at once instead of waiting for a writer', async () => {
    execFileSync('mkfifo', [join(dir, 'api', 'pipe.yaml')]);
    const started = performance.now();
    const error = await loadError(await writeDocument('./pipe.yaml'));
    expect(performance.now() - started).toBeLessThan(5000);
    expect(error.message).toMatch(/to \.\/pipe\.yaml is refused: it is not a regular file/);
  });

  it('are refused for a socket', async () => {
    const socket = createNetServer();
    await new Promise<void>((resolve) => socket.listen(join(dir, 'api', 'socket.yaml'), resolve));
    try {
      const error = await loadError(await writeDocument('./socket.yaml'));
      expect(error.message).toMatch(/to \.\/socket\.yaml is refused: it is not a regular file/);
    } finally {
      await new Promise((resolve) => socket.close(resolve));
    }
  });

  it('are refused through a symbolic link that leads out of the folder', async () => {
    await symlink(join(dir, 'secret.yaml'), join(dir, 'api', 'linked.yaml'));
    const error = await loadError(await writeDocument('./linked.yaml'));
    expect(error.message).toMatch(/to \.\/linked\.yaml is refused: it is a symbolic link leading outside/);
  });

  it('may reach further when refRoot widens the folder', async () => {
    await mkdir(join(dir, 'shared'));
    await writeFile(join(dir, 'shared', 'thing.yaml'), 'type: string\n');
    const file = await writeDocument('../shared/thing.yaml');
    await loadError(file);
    const doc = await loadOpenApi(file, { refRoot: dir });
    expect(doc.findOperation('GET', '/things').kind).toBe('found');
    // Relative to baseDir, like the document path itself.
    expect((await loadOpenApi('api/openapi.yaml', { baseDir: dir, refRoot: '.' })).operations).toHaveLength(1);
  });

  it('name the $ref when its file does not exist', async () => {
    const file = await writeDocument('./nope.yaml');
    const error = await loadError(file);
    expect(error.message).toMatch(
      new RegExp(
        `^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: the \\$ref at #${REF_POINTER.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} to \\./nope\\.yaml cannot be read: ENOENT`,
      ),
    );
  });

  it('name the including file when a $ref in a referenced file is refused', async () => {
    await writeFile(
      join(dir, 'api', 'thing.yaml'),
      "type: object\nproperties:\n  t: { $ref: '../secret.yaml#/token' }\n",
    );
    const file = await writeDocument('./thing.yaml');
    const error = await loadError(file);
    expect(error.message).toBe(
      `${join(dir, 'api', 'thing.yaml')} (referenced from ${file}): the $ref at #/properties/t to ../secret.yaml#/token is refused: it is outside ${join(dir, 'api')}, the folder $refs may read`,
    );
  });
});

describe('YAML alias bombs', () => {
  const bomb = (indent: string): string =>
    [
      `${indent}a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]`,
      ...'bcdefghi'.split('').map((n, i) => `${indent}${n}: &${n} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`),
    ].join('\n');

  it('in the document are refused in well under a second, naming it', async () => {
    const file = join(dir, 'api', 'openapi.yaml');
    await writeFile(file, `openapi: 3.0.3\ninfo: { title: x, version: '1' }\npaths: {}\nx-lol:\n${bomb('  ')}\n`);
    const started = performance.now();
    const error = await loadError(file);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(error.message).toMatch(/openapi\.yaml: the OpenAPI document is refused: its YAML aliases expand it/);
    expect(error.details.source).toBe(file);
  });

  it('in a referenced file are refused too, naming that file', async () => {
    await writeFile(join(dir, 'api', 'thing.yaml'), `type: object\nx-lol:\n${bomb('  ')}\n`);
    const started = performance.now();
    const error = await loadError(await writeDocument('./thing.yaml'));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(error.message).toContain(
      `${join(dir, 'api', 'thing.yaml')}: the file is refused: its YAML aliases expand it`,
    );
  });
});

describe('remote $refs', () => {
  let server: Server;
  let other: Server;
  let base: string;
  let otherBase: string;
  const requests: string[] = [];
  const otherRequests: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      if (req.url === '/openapi.yaml') res.writeHead(200).end(documentWithRef('./thing.yaml'));
      else if (req.url === '/thing.yaml') res.writeHead(200).end('type: integer\n');
      else if (req.url === '/redirecting.yaml') res.writeHead(200).end(documentWithRef('./hop.yaml'));
      else if (req.url === '/hop.yaml') res.writeHead(302, { location: `${otherBase}/thing.yaml` }).end();
      else if (req.url === '/local.yaml') res.writeHead(200).end(documentWithRef('file:///etc/passwd'));
      else if (req.url === '/huge.yaml') res.writeHead(200, { 'content-length': String(70 * 1024 * 1024) }).end();
      else if (req.url === '/metadata.yaml')
        res.writeHead(200).end(documentWithRef('http://169.254.169.254/latest/meta-data/iam.yaml'));
      else if (req.url === '/loop.yaml') res.writeHead(302, { location: '/loop.yaml' }).end();
      else res.writeHead(404).end();
    });
    other = createServer((req, res) => {
      otherRequests.push(req.url ?? '');
      res.writeHead(200).end(`token: ${SECRET}\n`);
    });
    for (const s of [server, other]) await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    otherBase = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const s of [server, other]) {
      s.closeAllConnections();
      await new Promise((resolve) => s.close(resolve));
    }
  });
  beforeEach(() => {
    requests.length = 0;
    otherRequests.length = 0;
  });

  it('are not fetched from a local document unless allowed, and the server is never contacted', async () => {
    const file = await writeDocument(`${otherBase}/thing.yaml`);
    const error = await loadError(file);
    expect(error.message).toBe(
      `${file}: the $ref at #${REF_POINTER} to ${otherBase}/thing.yaml is refused: remote $refs are not fetched unless allowed (--allow-remote-refs, allowRemoteRefs)`,
    );
    expect(error.details).toMatchObject({ pointer: REF_POINTER, target: `${otherBase}/thing.yaml` });
    expect(otherRequests).toEqual([]);
  });

  it('never reach loopback addresses even when allowed, by IP or by a name that resolves to one', async () => {
    const byIp = await loadError(await writeDocument(`${otherBase}/thing.yaml`), { allowRemoteRefs: true });
    expect(byIp.message).toMatch(/is refused: 127\.0\.0\.1:\d+ is a loopback address/);
    const port = (other.address() as AddressInfo).port;
    const byName = await loadError(await writeDocument(`http://localhost:${port}/thing.yaml`), {
      allowRemoteRefs: true,
    });
    expect(byName.message).toMatch(/is refused: localhost resolves to (127\.0\.0\.1|::1), a loopback address/);
    const mapped = await loadError(await writeDocument(`http://[::ffff:127.0.0.1]:${port}/thing.yaml`), {
      allowRemoteRefs: true,
    });
    expect(mapped.message).toMatch(/is a loopback address/);
    expect(otherRequests).toEqual([]);
  });

  it('of a document named by URL load from its own origin', async () => {
    const doc = await loadOpenApi(`${base}/openapi.yaml`);
    expect(doc.validateResponse({ method: 'GET', path: '/things' }, { status: 200, body: 'x' })).toHaveLength(1);
    expect(requests).toEqual(['/openapi.yaml', '/thing.yaml']);
  });

  it('of a document named by URL are refused when a redirect leads to another internal address', async () => {
    const error = await loadError(`${base}/redirecting.yaml`);
    expect(error.message).toMatch(
      /the \$ref at #\S+ to \.\/hop\.yaml is refused: redirected to http:\/\/127\.0\.0\.1:\d+\/thing\.yaml: 127\.0\.0\.1:\d+ is a loopback address/,
    );
    expect(requests).toEqual(['/redirecting.yaml', '/hop.yaml']);
    expect(otherRequests).toEqual([]);
  });

  it('of a document named by URL never reach another internal address (the cloud metadata service)', async () => {
    const error = await loadError(`${base}/metadata.yaml`);
    expect(error.message).toMatch(
      /to http:\/\/169\.254\.169\.254\/latest\/meta-data\/iam\.yaml is refused: 169\.254\.169\.254 is a link-local address/,
    );
  });

  it('are refused over 64 MiB, and after 5 redirects', async () => {
    const huge = await loadError(`${base}/huge.yaml`);
    expect(huge.message).toMatch(
      /huge\.yaml: cannot fetch the OpenAPI document: the response is 73400320 bytes, more than the 67108864 allowed/,
    );
    const loop = await loadError(`${base}/loop.yaml`);
    expect(loop.message).toMatch(/loop\.yaml: cannot fetch the OpenAPI document: more than 5 redirects/);
    expect(requests.filter((r) => r === '/loop.yaml')).toHaveLength(6);
  });

  it('of a document named by URL may not read local files', async () => {
    const error = await loadError(`${base}/local.yaml`);
    expect(error.message).toMatch(
      /to file:\/\/\/etc\/passwd is refused: a document fetched from a URL may not reference local files/,
    );
  });
});

describe('addressProblem', () => {
  it('accepts public unicast addresses only, IPv4 and IPv6, mapped forms judged by their IPv4 address', () => {
    expect(addressProblem('93.184.216.34')).toBeUndefined();
    expect(addressProblem('2606:2800:220:1:248:1893:25c8:1946')).toBeUndefined();
    expect(addressProblem('::ffff:93.184.216.34')).toBeUndefined();
    expect(
      ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0'].map(
        addressProblem,
      ),
    ).toEqual(['loopback', 'private', 'private', 'private', 'linkLocal', 'carrierGradeNat', 'unspecified']);
    expect(
      ['::1', '::', 'fe80::1', 'fd00::1', '[::1]', '::ffff:127.0.0.1', '::ffff:10.0.0.1'].map(addressProblem),
    ).toEqual(['loopback', 'unspecified', 'linkLocal', 'uniqueLocal', 'loopback', 'loopback', 'private']);
    // Forms that embed an IPv4 address some gateway would translate: refused outright.
    expect(addressProblem('64:ff9b::7f00:1')).toBeDefined();
    expect(addressProblem('2002:7f00:1::1')).toBeDefined();
    expect(addressProblem('not an address')).toBe('invalid');
  });
});
