import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** `NGINX_BIN` names the binary (a path that does not exist means "not installed"); else the usual places. */
export function nginxBinary(): string | undefined {
  const named = process.env.NGINX_BIN;
  if (named !== undefined) return existsSync(named) ? named : undefined;
  for (const candidate of ['/usr/sbin/nginx', '/usr/bin/nginx', '/usr/local/sbin/nginx', '/usr/local/bin/nginx'])
    if (existsSync(candidate)) return candidate;
  return undefined;
}

/**
 * The nginx binary, or a skip with the reason (never a pass: nothing was checked). On CI a missing
 * nginx fails the test instead.
 */
export function requireNginx(ctx: { skip: (note: string) => void }, what: string): string | undefined {
  const nginx = nginxBinary();
  if (nginx) return nginx;
  if (process.env.CI)
    throw new Error(`nginx is not installed, and CI must check ${what}: run scripts/install-system-deps.sh`);
  ctx.skip(`nginx is not installed here (run scripts/install-system-deps.sh): ${what} was not checked`);
  return undefined;
}

/**
 * A whole nginx.conf around the gate's two snippets: upstreams `monolith` and `tracking_service`,
 * one server including the locations.
 */
export function nginxConf(
  caseDir: string,
  options: { monolithPort?: number; candidatePort?: number; listenPort?: number; foreground?: boolean } = {},
): string {
  return [
    ...(options.foreground ? ['daemon off;', 'master_process off;'] : []),
    'pid nginx.pid;',
    `error_log ${join(caseDir, 'error.log')};`,
    'events {}',
    'http {',
    '  access_log off;',
    `  client_body_temp_path ${caseDir}/body; proxy_temp_path ${caseDir}/proxy;`,
    `  fastcgi_temp_path ${caseDir}/fastcgi; uwsgi_temp_path ${caseDir}/uwsgi; scgi_temp_path ${caseDir}/scgi;`,
    `  upstream monolith { server 127.0.0.1:${options.monolithPort ?? 8081}; }`,
    `  upstream tracking_service { server 127.0.0.1:${options.candidatePort ?? 8082}; }`,
    '  include cutover-routing.http.conf;',
    '  server {',
    `    listen 127.0.0.1:${options.listenPort ?? 18080};`,
    '    include cutover-routing.locations.conf;',
    '    location / { proxy_pass http://monolith; }',
    '  }',
    '}',
  ].join('\n');
}

/**
 * Writes the snippets and a whole config into `caseDir` and runs the real `nginx -t` on them;
 * resolves to nginx's report, rejects with it and the snippets when nginx refuses them.
 */
export async function nginxTest(
  nginx: string,
  caseDir: string,
  files: { file: string; content: string }[],
): Promise<string> {
  for (const f of files) await writeFile(join(caseDir, f.file), f.content);
  const conf = join(caseDir, 'nginx.conf');
  await writeFile(conf, nginxConf(caseDir));
  try {
    const { stderr } = await run(nginx, ['-t', '-c', conf, '-p', caseDir]);
    return stderr;
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(
      `nginx -t rejected the generated snippets:\n${e.stderr ?? e.message}\n${files.map((f) => `--- ${f.file} ---\n${f.content}`).join('\n')}`,
    );
  }
}

/** An upstream that names itself in a header, so a test can see where nginx sent a request. */
export async function listen(name: string): Promise<{ server: Server; port: number }> {
  const server = createServer((_req, res) => res.writeHead(200, { 'x-upstream': name }).end(name));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

export async function freePort(): Promise<number> {
  const { server, port } = await listen('probe');
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function waitForPort(port: number): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nginx did not listen on port ${port} within 5 s`);
}

/**
 * Starts the real nginx in the foreground on a free port with the given snippets between two
 * upstreams (`monolithPort`, `candidatePort`); resolves once it listens. `stop()` ends it.
 */
export async function startNginx(
  nginx: string,
  caseDir: string,
  files: { file: string; content: string }[],
  upstreams: { monolithPort: number; candidatePort: number },
): Promise<{ port: number; stop: () => Promise<void> }> {
  for (const f of files) await writeFile(join(caseDir, f.file), f.content);
  const port = await freePort();
  await writeFile(
    join(caseDir, 'nginx.conf'),
    nginxConf(caseDir, { foreground: true, listenPort: port, ...upstreams }),
  );
  const server = spawn(nginx, ['-c', join(caseDir, 'nginx.conf'), '-p', caseDir], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  try {
    await waitForPort(port);
  } catch (error) {
    server.kill();
    await exited;
    throw error;
  }
  return {
    port,
    stop: async () => {
      server.kill();
      await exited;
    },
  };
}
