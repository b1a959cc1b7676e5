import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createBroker } from '@cutover/broker';
import { BrokerClient, listDecisions, recordDecision } from '@cutover/broker-client';
import { cutover, startCutover, type LongRunning } from './support/cli.js';

describe('cutover broker', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-broker-e2e-'));
  let running: LongRunning | undefined;
  afterEach(async () => {
    await running?.stop('SIGKILL');
    running = undefined;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const start = async (extra: string[] = [], env: NodeJS.ProcessEnv = {}) => {
    running = startCutover(['broker', '--port', '0', '--database', join(dir, 'broker.db'), ...extra], { env });
    const [, url] = await running.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
    return url!;
  };

  it('prints its URL, serves the API, stops cleanly on SIGTERM and keeps its data across restarts', async () => {
    const url = await start();
    const created = await fetch(`${url}/pacticipants`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Web' }),
    });
    expect(created.status).toBe(201);
    const stopped = await running!.stop('SIGTERM');
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toMatch(/stopped/);

    const again = await start();
    expect((await fetch(`${again}/pacticipants/Web`)).status).toBe(200);
    const interrupted = await running!.stop('SIGINT');
    expect(interrupted.code).toBe(0);
  });

  it('honours --base-url for HAL links', async () => {
    const url = await start(['--base-url', 'https://broker.example.com/']);
    const index = (await (await fetch(url)).json()) as { _links: Record<string, { href: string }> };
    expect(index._links['pb:pacticipants']!.href).toBe('https://broker.example.com/pacticipants');
  });

  it('with a write token from the environment, refuses anonymous writes and never echoes the token', async () => {
    const url = await start(['--public-read'], { CUTOVER_BROKER_WRITE_TOKEN: 'w-secret-123' });
    const anonymous = await fetch(`${url}/pacticipants`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer wrong-guess' },
      body: JSON.stringify({ name: 'Web' }),
    });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).not.toContain('wrong-guess');
    expect((await fetch(`${url}/pacticipants`)).status).toBe(200);
    const written = await fetch(`${url}/pacticipants`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer w-secret-123' },
      body: JSON.stringify({ name: 'Mobile' }),
    });
    expect(written.status).toBe(201);
    const { stdout, stderr } = await running!.stop('SIGTERM');
    expect(stdout + stderr).not.toContain('w-secret-123');
  });

  it('allows webhooks only to the hosts given with --webhook-allow-host, and serves the pages', async () => {
    const url = await start(['--webhook-allow-host', 'ci.example.com', '--webhook-allow-host', '*.hooks.example']);
    const webhook = (target: string) =>
      fetch(`${url}/webhooks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ events: [{ name: 'contract_published' }], request: { method: 'POST', url: target } }),
      });
    expect((await webhook('https://ci.example.com/build')).status).toBe(201);
    expect((await webhook('https://a.hooks.example/x')).status).toBe(201);
    const refused = await webhook('https://elsewhere.example/x');
    expect(refused.status).toBe(400);
    expect(JSON.stringify(await refused.json())).toContain('host elsewhere.example is not allowed');
    const board = await fetch(`${url}/ui/board`);
    expect(board.status).toBe(200);
    expect(board.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('exits 2 with a coded error when a --webhook-allow-host entry is not a host', async () => {
    const result = await cutover([
      'broker',
      '--port',
      '0',
      '--database',
      join(dir, 'hosts.db'),
      '--webhook-allow-host',
      'https://ci.example.com/',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /CUTOVER_CONFIG_INVALID.*webhook allow-host: "https:\/\/ci\.example\.com\/" is not a host name/,
    );
  });

  it('exits 2 with a coded error when the database cannot be opened', async () => {
    const result = await cutover(['broker', '--port', '0', '--database', '/dev/null/broker.db']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/CUTOVER_BROKER_STORAGE_FAILED.*\/dev\/null\/broker\.db/);
  });

  const publish = (url: string, version: string, marker: string) =>
    fetch(`${url}/contracts/publish`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        pacticipantName: 'Web',
        pacticipantVersionNumber: version,
        branch: 'main',
        contracts: [
          {
            consumerName: 'Web',
            providerName: 'Orders',
            specification: 'pact',
            contentType: 'application/json',
            content: Buffer.from(
              JSON.stringify({
                consumer: { name: 'Web' },
                provider: { name: 'Orders' },
                interactions: [
                  {
                    description: `get ${marker}`,
                    request: { method: 'GET', path: `/${marker}` },
                    response: { status: 200 },
                  },
                ],
                metadata: { pactSpecification: { version: '3.0.0' } },
              }),
            ).toString('base64'),
          },
        ],
      }),
    });

  it(
    'broker clean: --dry-run lists what would go, then the clean deletes it (while the broker serves)',
    { timeout: 120_000 },
    async () => {
      const database = join(dir, 'clean.db');
      running = startCutover(['broker', '--port', '0', '--database', database]);
      const [, url] = await running.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      for (const v of ['1', '2', '3\u001b[2J'])
        expect((await publish(url!, v, `m${v.length}${v[0]}`)).status).toBe(200);

      const dry = await cutover(['broker', 'clean', '--database', database, '--keep-latest', '1', '--dry-run']);
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.stdout).toMatch(/clean \(dry run\): would delete 2 versions \(1 kept\), 2 pact contents/);
      expect(dry.stdout).toContain('  Web: 1, 2\n');
      expect((await fetch(`${url}/pacts/provider/Orders/consumer/Web/version/1`)).status).toBe(200);

      const json = join(dir, 'clean.json');
      const clean = await cutover(['broker', 'clean', '--database', database, '--keep-latest', '1', '--json', json]);
      expect(clean.code, clean.stderr).toBe(0);
      expect(clean.stdout).toMatch(/clean: deleted 2 versions/);
      expect(JSON.parse(readFileSync(json, 'utf8')).deleted.versions.map((v: { number: string }) => v.number)).toEqual([
        '1',
        '2',
      ]);
      expect((await fetch(`${url}/pacts/provider/Orders/consumer/Web/version/1`)).status).toBe(404);
      const again = await cutover(['broker', 'clean', '--database', database, '--keep-latest', '1', '--dry-run']);
      expect(again.stdout).toMatch(/would delete 0 versions \(1 kept\)/);
    },
  );

  it(
    'broker clean: exits 2 with a coded error for --keep-latest 0, a bad duration or a missing database',
    { timeout: 120_000 },
    async () => {
      const zero = await cutover(['broker', 'clean', '--database', join(dir, 'broker.db'), '--keep-latest', '0']);
      expect(zero.code).toBe(2);
      expect(zero.stderr).toMatch(/CUTOVER_USAGE.*--keep-latest must be a whole number of at least 1/);
      const duration = await cutover(['broker', 'clean', '--keep-newer-than', '30 days']);
      expect(duration.code).toBe(2);
      expect(duration.stderr).toMatch(/CUTOVER_USAGE.*--keep-newer-than must be a number with a unit/);
      const missing = await cutover(['broker', 'clean', '--database', join(dir, 'nowhere.db')]);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/CUTOVER_BROKER_STORAGE_FAILED.*nowhere\.db: no broker database there to clean/);
    },
  );

  it(
    '--clean-every runs the retention when serving and says so; a bad interval exits 2',
    { timeout: 120_000 },
    async () => {
      const database = join(dir, 'scheduled.db');
      running = startCutover([
        'broker',
        '--port',
        '0',
        '--database',
        database,
        '--clean-every',
        '1h',
        '--keep-latest',
        '5',
      ]);
      await running.waitFor(/retention: clean every 1h, keeping the latest 5 per branch and tag/);
      await running.waitFor(/cutover broker clean: deleted 0 versions/);
      const bad = await cutover(['broker', '--port', '0', '--database', database, '--clean-every', 'daily']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/CUTOVER_USAGE.*--clean-every must be a number with a unit/);
    },
  );

  it("the client's recordDecision and listDecisions work against the broker: the history, filtered, newest first", async () => {
    const broker = await createBroker({ database: { file: ':memory:' } });
    try {
      const client = new BrokerClient({ url: await broker.listen({ port: 0 }) });
      const decision = (outcome: string, decidedAt: string) => ({
        format: 'cutover.gate-decision/v1',
        decidedAt,
        policy: 'contracts/cutover.yaml',
        candidateVersion: '3.0.0',
        outcome,
        routes: [
          { name: 'tracking', methods: ['GET'], path: '/api/tracking/**', outcome, currentWeight: 0, nextWeight: 1 },
        ],
      });
      expect(await recordDecision(client, decision('allowed', '2026-02-01T10:00:00Z'))).toMatchObject({
        recorded: true,
      });
      await recordDecision(client, decision('blocked', '2026-02-02T10:00:00Z'));
      const history = await listDecisions(client, { route: 'tracking', candidateVersion: '3.0.0' });
      expect(history.map((d) => d.outcome)).toEqual(['blocked', 'allowed']);
      expect(await listDecisions(client, { route: 'other' })).toEqual([]);
    } finally {
      await broker.close();
    }
  });
});
