import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, startBroker, type RunningBroker } from '../__fixtures__/engines.js';
import { runPactCli } from '../__fixtures__/pact-cli.js';

describe.each(engines)('the stock pact CLI managing pacticipants, versions and environments on $name', (engine) => {
  let running: RunningBroker;
  let pact: (...args: string[]) => ReturnType<typeof runPactCli>;
  beforeAll(async () => {
    running = await startBroker(engine);
    pact = (...args) => runPactCli('pact', ['broker', ...args, '--broker-base-url', running.url]);
  });
  afterAll(async () => running?.stop());

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests walk HAL answers ad hoc
  const json = async (path: string) => (await fetch(`${running.url}${path}`)).json() as Promise<Record<string, any>>;

  it('create-or-update-pacticipant creates, then updates, a pacticipant', async () => {
    const created = await pact(
      'create-or-update-pacticipant',
      '--name',
      'Orders',
      '--repository-url',
      'http://git/orders',
    );
    expect(created.stdout + created.stderr).not.toMatch(/error|❌/i);
    expect(created.code).toBe(0);
    const updated = await pact('create-or-update-pacticipant', '--name', 'Orders', '--main-branch', 'main');
    expect(updated.code).toBe(0);
    expect(await json('/pacticipants/Orders')).toMatchObject({
      name: 'Orders',
      repositoryUrl: 'http://git/orders',
      mainBranch: 'main',
    });
  });

  it('create-version-tag tags a version, creating the version', async () => {
    const run = await pact(
      'create-version-tag',
      '--pacticipant',
      'Orders',
      '--version',
      '1.0.0',
      '--tag',
      'prod',
      '--auto-create-version',
    );
    expect(run.stdout + run.stderr).not.toMatch(/error|❌/i);
    expect(run.code).toBe(0);
    const version = await json('/pacticipants/Orders/versions/1.0.0');
    expect(version._embedded.tags.map((t: { name: string }) => t.name)).toEqual(['prod']);
  });

  it('create-environment, record-deployment, record-undeployment and record-release keep what is deployed where', async () => {
    const env = await pact(
      'create-environment',
      '--name',
      'production',
      '--display-name',
      'Production',
      '--production',
    );
    expect(env.stdout + env.stderr).not.toMatch(/error|❌/i);
    expect(env.code).toBe(0);
    const list = await json('/environments');
    const uuid = list._embedded.environments[0].uuid as string;
    expect(list._embedded.environments[0]).toMatchObject({
      name: 'production',
      displayName: 'Production',
      production: true,
    });

    const deployed = await pact(
      'record-deployment',
      '--pacticipant',
      'Orders',
      '--version',
      '1.0.0',
      '--environment',
      'production',
      '--application-instance',
      'eu',
    );
    expect(deployed.stdout + deployed.stderr).not.toMatch(/error|❌/i);
    expect(deployed.code).toBe(0);
    const current = await json(`/environments/${uuid}/deployed-versions/currently-deployed?pacticipant=Orders`);
    expect(current._embedded.deployedVersions).toHaveLength(1);
    expect(current._embedded.deployedVersions[0]).toMatchObject({ applicationInstance: 'eu', currentlyDeployed: true });

    const undeployed = await pact(
      'record-undeployment',
      '--pacticipant',
      'Orders',
      '--environment',
      'production',
      '--application-instance',
      'eu',
    );
    expect(undeployed.stdout + undeployed.stderr).not.toMatch(/error|❌/i);
    expect(undeployed.code).toBe(0);
    expect(
      (await json(`/environments/${uuid}/deployed-versions/currently-deployed`))._embedded.deployedVersions,
    ).toEqual([]);

    const released = await pact(
      'record-release',
      '--pacticipant',
      'Orders',
      '--version',
      '1.0.0',
      '--environment',
      'production',
    );
    expect(released.stdout + released.stderr).not.toMatch(/error|❌/i);
    expect(released.code).toBe(0);
    const supported = await json(`/environments/${uuid}/released-versions/currently-supported`);
    expect(
      supported._embedded.releasedVersions.map(
        (r: { _embedded: { version: { number: string } } }) => r._embedded.version.number,
      ),
    ).toEqual(['1.0.0']);
  });

  it('describe-version prints the latest version with its tags', async () => {
    const run = await pact('describe-version', '--pacticipant', 'Orders', '--output', 'json');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('1.0.0');
    expect(run.stdout).toContain('prod');
  });
});
