import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, startBroker, type RunningBroker } from '../__fixtures__/engines.js';
import { runPactCli, samplePact } from '../__fixtures__/pact-cli.js';

describe.each(engines)('publishing on $name', (engine) => {
  let running: RunningBroker;
  let dir: string;
  beforeAll(async () => {
    running = await startBroker(engine);
    dir = mkdtempSync(join(tmpdir(), 'cutover-pacts-'));
  });
  afterAll(async () => {
    await running?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const writePact = (name: string, pact: unknown) => {
    const sub = mkdtempSync(join(dir, name));
    writeFileSync(join(sub, 'pact.json'), JSON.stringify(pact));
    return sub;
  };

  it('stores what `pact broker publish` sends, with branch and tags, and serves it as the latest pact', async () => {
    const pacts = writePact('web', samplePact('Web', 'Orders'));
    const run = await runPactCli('pact', [
      'broker',
      'publish',
      pacts,
      '--broker-base-url',
      running.url,
      '--consumer-app-version',
      '1.0.0',
      '--branch',
      'main',
      '--tag',
      'dev',
    ]);
    expect(run.stderr + run.stdout).not.toMatch(/error/i);
    expect(run.code).toBe(0);
    const latest = await fetch(`${running.url}/pacts/provider/Orders/consumer/Web/latest`);
    expect(latest.status).toBe(200);
    expect(latest.headers.get('x-pact-consumer-version')).toBe('1.0.0');
    const body = (await latest.json()) as { interactions: unknown[]; _links: Record<string, { name?: string }> };
    expect(body.interactions).toHaveLength(1);
    expect(body._links['pb:consumer-version']!.name).toBe('1.0.0');
    const tagged = await fetch(`${running.url}/pacts/provider/Orders/consumer/Web/latest/dev`);
    expect(tagged.status).toBe(200);
    const version = (await (await fetch(`${running.url}/pacticipants/Web/versions/1.0.0`)).json()) as {
      _embedded: { branchVersions: { name: string }[]; tags: { name: string }[] };
    };
    expect(version._embedded.branchVersions.map((b) => b.name)).toEqual(['main']);
    expect(version._embedded.tags.map((t) => t.name)).toEqual(['dev']);
  });

  it('refuses changed content for an already published consumer version with 409, keeping the first content', async () => {
    const pacts = writePact('web-changed', samplePact('Web', 'Orders', 'changed'));
    const run = await runPactCli('pact', [
      'broker',
      'publish',
      pacts,
      '--broker-base-url',
      running.url,
      '--consumer-app-version',
      '1.0.0',
    ]);
    expect(run.code).not.toBe(0);
    expect(run.stdout + run.stderr).toMatch(/already published with different content|409/);
    const latest = (await (await fetch(`${running.url}/pacts/provider/Orders/consumer/Web/latest`)).json()) as {
      interactions: { description: string }[];
    };
    expect(latest.interactions[0]!.description).toBe('a request for thing a');
  });

  it('stores identical content published by two consumer versions once, by content hash', async () => {
    const pacts = writePact('web-same', samplePact('Web', 'Orders'));
    const run = await runPactCli('pact', [
      'broker',
      'publish',
      pacts,
      '--broker-base-url',
      running.url,
      '--consumer-app-version',
      '1.0.1',
    ]);
    expect(run.code).toBe(0);
    const count = await running.broker.storage.db
      .selectFrom('pact_versions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
    const publications = await running.broker.storage.db.selectFrom('pact_publications').selectAll().execute();
    expect(publications).toHaveLength(2);
  });

  it('rejects a contract that is not a pact with 400, storing neither the version nor the pact', async () => {
    const res = await fetch(`${running.url}/contracts/publish`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        pacticipantName: 'Mobile',
        pacticipantVersionNumber: '9.9.9',
        branch: 'main',
        contracts: [
          {
            consumerName: 'Mobile',
            providerName: 'Orders',
            specification: 'pact',
            contentType: 'application/json',
            content: Buffer.from(JSON.stringify({ hello: 'world' })).toString('base64'),
          },
        ],
      }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      errors: { 'contracts[0].content': [expect.stringMatching(/not a valid pact/)] },
    });
    expect((await fetch(`${running.url}/pacticipants/Mobile`)).status).toBe(404);
  });

  it('takes the main branch of a pacticipant that has none from its first version on main, so the default mainBranch selector finds its pacts', async () => {
    const pacts = writePact('ledger', samplePact('Ledger', 'Accounts'));
    const publish = (version: string, branch: string) =>
      runPactCli('pact', [
        'broker',
        'publish',
        pacts,
        '--broker-base-url',
        running.url,
        '--consumer-app-version',
        version,
        '--branch',
        branch,
      ]);
    expect((await publish('0.1.0', 'feat/x')).code).toBe(0);
    const mainBranchOf = async () =>
      ((await (await fetch(`${running.url}/pacticipants/Ledger`)).json()) as { mainBranch?: string | null }).mainBranch;
    expect(await mainBranchOf()).toBeFalsy();
    expect((await publish('0.2.0', 'main')).code).toBe(0);
    expect(await mainBranchOf()).toBe('main');
    // A later candidate name does not move it.
    expect((await publish('0.3.0', 'master')).code).toBe(0);
    expect(await mainBranchOf()).toBe('main');
    const selected = await fetch(`${running.url}/pacts/provider/Accounts/for-verification`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ consumerVersionSelectors: [{ mainBranch: true }] }),
    });
    const body = (await selected.json()) as { _embedded: { pacts: { shortDescription: string }[] } };
    expect(body._embedded.pacts.map((p) => p.shortDescription)).toEqual([
      "latest version of Ledger from the main branch 'main' (0.2.0)",
    ]);
  });
});
