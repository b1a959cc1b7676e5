import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { decide, type GateDecision, type RouteDecision } from './decide.js';
import { pathMatchesPattern } from '@cutover/core';
import { renderRouting, ROUTING_FORMAT } from './routing.js';
import { NOW, OPERATIONS, policy, report, evidenceFrom } from './__fixtures__/evidence.js';
import { nginxConf, nginxTest, requireNginx } from './__fixtures__/nginx.js';

const run = promisify(execFile);

/** An upstream that names itself in a header, so a test can see where nginx sent a request. */
async function listen(name: string): Promise<{ server: Server; port: number }> {
  const server = createServer((_req, res) => res.writeHead(200, { 'x-upstream': name }).end(name));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

async function freePort(): Promise<number> {
  const { server, port } = await listen('probe');
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForPort(port: number): Promise<void> {
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

function decisionAt(currentWeight: number, extraRoute = false): GateDecision {
  const p = policy((y) => {
    let text = y.replace('currentWeight: 0', `currentWeight: ${currentWeight}`);
    if (extraRoute)
      text = text.replace(
        'routes:',
        'routes:\n  - name: eta-writes\n    match: { methods: [PUT, PATCH], path: "/api/tracking/*/eta" }\n    currentWeight: 0\n    rules: { schema: { required: false } }',
      );
    return text;
  });
  const r = report();
  if (extraRoute)
    for (const method of ['PUT', 'PATCH'])
      r.results.push({ ...r.results[2]!, route: { method, path: '/api/tracking/SHP-1/eta' } });
  return decide({
    policy: p,
    evidence: { reports: [evidenceFrom(r, 'verify.json')], problems: [] },
    candidateVersion: '1.4.0',
    operations: OPERATIONS,
    now: NOW,
  });
}

describe('nginx artifact', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cutover-nginx-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('routes the next rollout step to the candidate with split_clients and a method-aware map', () => {
    const files = renderRouting(decisionAt(0), { gateway: 'nginx' });
    expect(files.map((f) => f.file)).toEqual(['cutover-routing.http.conf', 'cutover-routing.locations.conf']);
    const http = files[0]!.content;
    expect(http).toContain(
      'split_clients "${request_id}" $cutover_tracking_bucket {\n    1% candidate;\n    * monolith;\n}',
    );
    expect(http).toContain('map "$request_method:$cutover_tracking_bucket" $cutover_tracking_upstream {');
    expect(http).toContain('"~^(GET):candidate$" tracking_service;');
    expect(http).toContain('default monolith;');
    expect(files[1]!.content).toContain(
      'location ~ "^/api/tracking(?:/.*)?$" {\n    proxy_pass http://$cutover_tracking_upstream;\n}',
    );
  });

  it('sends everything to the candidate at 100% without a split', () => {
    const http = renderRouting(decisionAt(50), { gateway: 'nginx' })[0]!.content;
    expect(http).not.toContain('split_clients');
    expect(http).toContain('map "$request_method:candidate" $cutover_tracking_upstream');
  });

  it.for([
    ['first step', 0, false],
    ['middle step, two routes', 10, true],
    ['last step', 50, false],
  ] as const)('passes the real `nginx -t` (%s)', async ([, weight, extraRoute], ctx) => {
    const nginx = requireNginx(ctx, 'the generated snippet with `nginx -t`');
    if (!nginx) return;
    const decision = decisionAt(weight, extraRoute);
    expect(decision.outcome).toBe('allowed');
    const caseDir = await mkdtemp(join(dir, 'case-'));
    const stderr = await nginxTest(nginx, caseDir, renderRouting(decision, { gateway: 'nginx' }));
    expect(stderr).toMatch(/test is successful/);
  });

  it('routes real requests through nginx exactly as the gate matches paths', async (ctx) => {
    const nginx = requireNginx(ctx, 'routing requests through the real nginx');
    if (!nginx) return;
    // Every route at 100%, so a request lands on the candidate exactly when a route matches it.
    const base = decisionAt(50);
    const route = base.routes[0]!;
    const routes: Array<[RouteDecision['methods'], string]> = [
      [['GET'], '/api/tracking/{id}'],
      [['GET', 'HEAD'], '/api/tracking/*/events'],
      [['PUT'], '/api/files/*.json'],
      [['GET'], '/api/docs/**'],
      [['DELETE'], '/api/shipments/:id'],
    ];
    const decision: GateDecision = {
      ...base,
      routes: routes.map(([methods, path], i) => ({ ...route, name: `r${i}`, methods, path, nextWeight: 100 })),
    };
    const upstreams = await Promise.all(['monolith', 'candidate'].map((name) => listen(name)));
    const port = await freePort();
    const caseDir = await mkdtemp(join(dir, 'live-'));
    const files = renderRouting(decision, { gateway: 'nginx' });
    for (const f of files) await writeFile(join(caseDir, f.file), f.content);
    await writeFile(
      join(caseDir, 'nginx.conf'),
      nginxConf(caseDir, {
        foreground: true,
        monolithPort: upstreams[0]!.port,
        candidatePort: upstreams[1]!.port,
        listenPort: port,
      }),
    );
    const server = spawn(nginx, ['-c', join(caseDir, 'nginx.conf'), '-p', caseDir], { stdio: 'ignore' });
    try {
      await waitForPort(port);
      const requests: Array<[string, string]> = [
        ['GET', '/api/tracking/SHP-1'],
        ['GET', '/api/tracking/SHP-1/'],
        ['GET', '/api/tracking'],
        ['POST', '/api/tracking/SHP-1'],
        ['GET', '/api/tracking/SHP-1/events'],
        ['HEAD', '/api/tracking/SHP-1/events'],
        ['GET', '/api/tracking/a/b/events'],
        ['PUT', '/api/files/report.json'],
        ['PUT', '/api/files/report.jsonx'],
        ['PUT', '/api/files/.json'],
        ['GET', '/api/docs'],
        ['GET', '/api/docs/a/b/c'],
        ['GET', '/api/docsx'],
        ['DELETE', '/api/shipments/SHP-9'],
        ['DELETE', '/api/shipments/SHP-9/x'],
        ['GET', '/elsewhere'],
      ];
      for (const [method, path] of requests) {
        const expected = routes.some(
          ([methods, pattern]) => methods.includes(method as never) && pathMatchesPattern(pattern, path),
        )
          ? 'candidate'
          : 'monolith';
        const response = await fetch(`http://127.0.0.1:${port}${path}`, { method });
        const landed = response.headers.get('x-upstream');
        await response.arrayBuffer();
        expect(`${method} ${path} → ${String(landed)}`).toBe(`${method} ${path} → ${expected}`);
      }
    } finally {
      server.kill();
      await Promise.all(upstreams.map((u) => new Promise((resolve) => u.server.close(resolve))));
    }
  });

  it('fails `nginx -t` on a broken snippet (the check is real)', async (ctx) => {
    const nginx = requireNginx(ctx, 'the check of `nginx -t` itself');
    if (!nginx) return;
    const caseDir = await mkdtemp(join(dir, 'broken-'));
    await writeFile(
      join(caseDir, 'nginx.conf'),
      `pid nginx.pid;\nerror_log ${join(caseDir, 'e.log')};\nevents {}\nhttp { map $x $y { default a } }\n`,
    );
    await expect(run(nginx, ['-t', '-c', join(caseDir, 'nginx.conf'), '-p', caseDir])).rejects.toThrow();
  });
});

describe('Envoy artifact', () => {
  it('is a parseable RouteConfiguration with weighted clusters per route and a monolith default', () => {
    const [file] = renderRouting(decisionAt(0, true), { gateway: 'envoy' });
    expect(file!.file).toBe('cutover-envoy-routes.yaml');
    const config = parseYaml(file!.content) as {
      name: string;
      virtual_hosts: {
        domains: string[];
        routes: { name: string; match: Record<string, unknown>; route: Record<string, unknown> }[];
      }[];
    };
    expect(config.name).toBe('cutover_routes');
    const routes = config.virtual_hosts[0]!.routes;
    expect(routes.map((r) => r.name)).toEqual(['eta-writes', 'tracking', 'monolith_default']);
    const tracking = routes[1]!;
    expect(tracking.match).toEqual({
      safe_regex: { regex: '^/api/tracking(?:/.*)?$' },
      headers: [{ name: ':method', string_match: { safe_regex: { regex: '^(GET)$' } } }],
    });
    expect(tracking.route).toEqual({
      weighted_clusters: {
        clusters: [
          { name: 'tracking_service', weight: 1 },
          { name: 'monolith', weight: 99 },
        ],
      },
    });
    expect(routes[0]!.match.headers).toEqual([
      { name: ':method', string_match: { safe_regex: { regex: '^(PUT|PATCH)$' } } },
    ]);
    expect(routes[2]).toEqual({ name: 'monolith_default', match: { prefix: '/' }, route: { cluster: 'monolith' } });
  });

  it('uses a plain cluster at 100%', () => {
    const config = parseYaml(renderRouting(decisionAt(50), { gateway: 'envoy' })[0]!.content) as {
      virtual_hosts: { routes: { route: unknown }[] }[];
    };
    expect(config.virtual_hosts[0]!.routes[0]!.route).toEqual({ cluster: 'tracking_service' });
  });
});

describe('JSON weights', () => {
  it('lists each route with its new and previous weight', () => {
    const [file] = renderRouting(decisionAt(10), { gateway: 'json' });
    const doc = JSON.parse(file!.content) as { format: string; candidate: unknown; routes: unknown[] };
    expect(doc.format).toBe(ROUTING_FORMAT);
    expect(doc.candidate).toEqual({ service: 'tracking-service', version: '1.4.0' });
    expect(doc.routes).toEqual([
      {
        name: 'tracking',
        methods: ['GET'],
        path: '/api/tracking/**',
        regex: '^/api/tracking(?:/.*)?$',
        weights: { candidate: 50, monolith: 50 },
        previousWeight: 10,
        changed: true,
        decision: 'allowed',
      },
    ]);
  });

  it('refuses an unknown gateway', () => {
    expect(() => renderRouting(decisionAt(0), { gateway: 'haproxy' as 'nginx' })).toThrow(/unknown gateway "haproxy"/);
  });
});
