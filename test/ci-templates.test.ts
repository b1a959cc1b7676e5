import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { commandOptions, registeredCommands, ROOT, run } from './support/cli.js';

/**
 * The pipeline templates teams copy: every job they promise exists, and every command they call
 * (`cutover <command> --flags`, `npm run <script>`, `ci/scripts/*`) exists in this repository.
 */
type Yaml = Record<string, unknown>;
const load = (file: string): Yaml => parse(readFileSync(join(ROOT, file), 'utf8')) as Yaml;

interface Job {
  name: string;
  spec: Yaml;
  /** Shell commands, one per logical line. */
  commands: string[];
}

// GitHub expressions may hide shell operators (`a && '--publish' || ''`): keep only their quoted words.
const expandExpressions = (line: string) =>
  line.replace(/\$\{\{(.*?)\}\}/g, (_, expr: string) => [...expr.matchAll(/'([^']*)'/g)].map((m) => m[1]).join(' '));

function toCommands(script: unknown): string[] {
  const lines = Array.isArray(script) ? script.map(String) : typeof script === 'string' ? [script] : [];
  return lines
    .flatMap((text) => text.replace(/\\\n\s*/g, ' ').split('\n'))
    .map((line) => expandExpressions(line).trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

function githubJobs(file: string): Map<string, Job> {
  const jobs = (load(file).jobs ?? {}) as Record<string, Yaml>;
  return new Map(
    Object.entries(jobs).map(([name, spec]) => [
      name,
      { name, spec, commands: ((spec.steps ?? []) as Yaml[]).flatMap((step) => toCommands(step.run)) },
    ]),
  );
}

const GITLAB_RESERVED = new Set([
  'stages',
  'variables',
  'default',
  'include',
  'workflow',
  'image',
  'services',
  'cache',
]);
function gitlabJobs(file: string): Map<string, Job> {
  const doc = load(file);
  const hidden = Object.fromEntries(Object.entries(doc).filter(([k]) => k.startsWith('.')));
  return new Map(
    Object.entries(doc)
      .filter(([name]) => !GITLAB_RESERVED.has(name) && !name.startsWith('.'))
      .map(([name, raw]) => {
        const spec = raw as Yaml;
        const base = typeof spec.extends === 'string' ? ((hidden[spec.extends] ?? {}) as Yaml) : {};
        const merged = { ...base, ...spec };
        const commands = ['before_script', 'script', 'after_script'].flatMap((key) => toCommands(merged[key]));
        return [name, { name, spec: merged, commands }];
      }),
  );
}

/** `cutover <command> [<subcommand>]` invocations with the long options they pass. */
function cutoverCalls(commands: string[]): { command: string; flags: string[]; line: string }[] {
  const calls = [];
  for (const line of commands) {
    for (const segment of line.split(/\|\||&&|;|\|/)) {
      const match = /(?:^|\s)(?:npx\s+)?cutover\s+([a-z][\w-]*(?:\s+[a-z][\w-]*)?)(.*)$/.exec(segment);
      if (!match) continue;
      const flags = [...match[2]!.matchAll(/--(?:no-)?([a-z][\w-]*)/g)].map((m) => m[1]!);
      calls.push({ command: match[1]!.replace(/\s+/, ' '), flags, line });
    }
  }
  return calls;
}

function option(line: string, flag: string): string | undefined {
  return new RegExp(`--${flag}\\s+("[^"]*"|\\S+)`).exec(line)?.[1]?.replace(/"/g, '');
}

const workspaceScripts = new Map<string, Record<string, string>>();
for (const dir of ['examples', 'examples/consumers', 'packages']) {
  for (const entry of readdirSync(join(ROOT, dir))) {
    const manifest = join(ROOT, dir, entry, 'package.json');
    if (!existsSync(manifest)) continue;
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name: string; scripts?: Record<string, string> };
    workspaceScripts.set(pkg.name, pkg.scripts ?? {});
  }
}
const rootScripts = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts;

const TEMPLATES = {
  github: ['ci/github/consumer-pr.yml', 'ci/github/provider-pr.yml', 'ci/github/traffic-shift.yml'],
  gitlab: ['ci/gitlab/consumer.gitlab-ci.yml', 'ci/gitlab/provider.gitlab-ci.yml'],
};
const allJobs = (): Job[] => [
  ...TEMPLATES.github.flatMap((f) => [...githubJobs(f).values()]),
  ...TEMPLATES.gitlab.flatMap((f) => [...gitlabJobs(f).values()]),
];

describe('CI templates', () => {
  let commands: Set<string>;
  const options = new Map<string, Set<string>>();
  beforeAll(async () => {
    commands = await registeredCommands();
    const used = new Set(allJobs().flatMap((job) => cutoverCalls(job.commands).map((c) => c.command)));
    await Promise.all(
      [...used]
        .filter((c) => commands.has(c.split(' ')[0]!))
        .map(async (c) => {
          const listed = await commandOptions(c);
          if (listed) options.set(c, listed);
        }),
    );
  });

  it('ships exactly the templates this test knows about', () => {
    expect(readdirSync(join(ROOT, 'ci/github')).sort()).toEqual(TEMPLATES.github.map((f) => f.split('/').pop()).sort());
    expect(readdirSync(join(ROOT, 'ci/gitlab')).sort()).toEqual(TEMPLATES.gitlab.map((f) => f.split('/').pop()).sort());
  });

  it('calls only cutover commands and options the CLI registers', () => {
    const calls = allJobs().flatMap((job) => cutoverCalls(job.commands).map((c) => ({ ...c, job: job.name })));
    expect(calls.map((c) => c.command)).toEqual(expect.arrayContaining(['verify', 'gate', 'openapi check']));
    for (const call of calls) {
      expect([...commands], `${call.job}: cutover ${call.command}`).toContain(call.command.split(' ')[0]);
      expect(options.get(call.command), `${call.job}: cutover ${call.command} --help`).toBeDefined();
      for (const flag of call.flags)
        expect([...options.get(call.command)!], `${call.job}: cutover ${call.command} --${flag}`).toContain(flag);
    }
  });

  it('publishes verification results only for pacts fetched from a broker, and gates on the broker then', () => {
    const calls = allJobs().flatMap((job) => cutoverCalls(job.commands));
    const publishing = calls.filter((c) => c.command === 'verify' && c.flags.includes('publish'));
    for (const call of publishing) expect(call.flags, call.line).toContain('broker-url');
    for (const call of calls.filter((c) => c.command === 'gate' && c.flags.includes('broker-url'))) {
      expect(call.flags, call.line).toContain('candidate-version');
    }
  });

  it('runs on a current Node LTS (24), which the installed cutover supports', () => {
    const { engines } = JSON.parse(readFileSync(join(ROOT, 'packages/cli/package.json'), 'utf8')) as {
      engines: { node: string };
    };
    expect(engines.node).toBe('>=20.19.0');
    for (const file of [...TEMPLATES.github, ...TEMPLATES.gitlab]) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      const versions = [...text.matchAll(/node-version: (\S+)|image: node:(\S+)/g)].map((m) => m[1] ?? m[2]);
      expect(versions.length, file).toBeGreaterThan(0);
      for (const version of versions) expect(version, file).toBe('24');
    }
  });

  it('calls only npm scripts and helper scripts that exist', () => {
    for (const job of allJobs()) {
      for (const line of job.commands) {
        for (const m of line.matchAll(/npm run ([\w:-]+)(?:\s+-w\s+(\S+))?/g)) {
          const scripts = m[2] ? workspaceScripts.get(m[2]) : rootScripts;
          expect(scripts, `${job.name}: workspace ${m[2]}`).toBeDefined();
          expect(Object.keys(scripts!), `${job.name}: npm run ${m[1]}`).toContain(m[1]);
        }
        for (const m of line.matchAll(/(ci\/scripts\/[\w.-]+)/g)) {
          const file = join(ROOT, m[1]!);
          expect(existsSync(file), `${job.name}: ${m[1]}`).toBe(true);
          expect(statSync(file).mode & 0o111, `${m[1]} is executable`).not.toBe(0);
        }
        for (const m of line.matchAll(/npx ([\w-]+)/g)) {
          expect(
            existsSync(join(ROOT, 'node_modules/.bin', m[1]!)) || m[1] === 'cutover',
            `${job.name}: npx ${m[1]}`,
          ).toBe(true);
        }
      }
    }
  });

  it('GitHub consumer pipeline: runs the contract tests, then publishes the pacts with version and branch', () => {
    const jobs = githubJobs('ci/github/consumer-pr.yml');
    expect([...jobs.keys()]).toEqual(['contract-tests', 'publish-pacts', 'can-i-deploy']);
    expect(jobs.get('publish-pacts')!.spec.needs).toBe('contract-tests');
    const publish = jobs.get('publish-pacts')!.commands;
    const declare = publish.findIndex((c) => c.includes('pact broker create-or-update-pacticipant'));
    expect(publish[declare]).toMatch(/--main-branch main/);
    const published = publish.findIndex((c) => c.includes('pact broker publish'));
    expect(published).toBeGreaterThan(declare);
    expect(publish[published]).toMatch(/--consumer-app-version .+ --branch /);
    const deploy = jobs.get('can-i-deploy')!;
    expect(deploy.spec.needs).toBe('publish-pacts');
    expect(String(deploy.spec.if)).toContain('refs/heads/main');
    const asked = deploy.commands.findIndex((c) => c.includes('pact broker can-i-deploy'));
    expect(deploy.commands[asked]).toMatch(/--to-environment production .*--retry-while-unknown/);
    expect(deploy.commands.findIndex((c) => c.includes('pact broker record-deployment'))).toBeGreaterThan(asked);
  });

  it('GitHub provider pipeline: verifies both targets, publishes, gates, comments the report and uploads JUnit', () => {
    const job = githubJobs('ci/github/provider-pr.yml').get('verify-and-gate')!;
    const [verify] = cutoverCalls(job.commands).filter((c) => c.command === 'verify');
    const [gate] = cutoverCalls(job.commands).filter((c) => c.command === 'gate');
    expect(verify!.flags).toEqual(
      expect.arrayContaining(['monolith', 'candidate', 'openapi', 'json', 'junit', 'publish']),
    );
    expect(option(gate!.line, 'results')).toBe(option(verify!.line, 'json'));
    const steps = job.spec.steps as Yaml[];
    const comment = steps.find((s) => String(s.uses).startsWith('marocchino/sticky-pull-request-comment'));
    expect((comment!.with as Yaml).path).toBe(option(gate!.line, 'markdown'));
    expect(String(comment!.if)).toContain('always()');
    const junit = steps.find((s) => String(s.uses).startsWith('mikepenz/action-junit-report'));
    expect(String((junit!.with as Yaml).report_paths)).toContain('.junit.xml');
  });

  it('GitHub traffic shift with a broker: verify publishes as the commit, the gate decides on that commit, the deployment is recorded', () => {
    const jobs = githubJobs('ci/github/traffic-shift.yml');
    const calls = cutoverCalls(jobs.get('gate')!.commands);
    const verify = calls.find((c) => c.command === 'verify')!;
    const gate = calls.find((c) => c.command === 'gate')!;
    expect(verify.flags).toEqual(expect.arrayContaining(['broker-url', 'publish', 'provider-version', 'branch']));
    expect(option(gate.line, 'candidate-version')).toBe(option(verify.line, 'provider-version'));
    const record = jobs.get('apply')!.commands.find((c) => c.includes('pact broker record-deployment'));
    expect(option(record!, 'version')).toBe(option(verify.line, 'provider-version'));
  });

  it('GitHub traffic shift: applies the routing artifact only when the gate step succeeded', () => {
    const jobs = githubJobs('ci/github/traffic-shift.yml');
    const gateJob = jobs.get('gate')!;
    const apply = jobs.get('apply')!;
    expect(apply.spec.needs).toBe('gate');
    expect(String(apply.spec.if)).toContain('needs.gate.outputs.allowed');
    expect(String((gateJob.spec.outputs as Yaml).allowed)).toBe("${{ steps.gate.outcome == 'success' }}");
    const gateStep = (gateJob.spec.steps as Yaml[]).find((s) => s.id === 'gate')!;
    expect(gateStep['continue-on-error']).toBeUndefined();
    const [gate] = cutoverCalls(toCommands(gateStep.run));
    expect(apply.commands).toContain(`ci/scripts/apply-routing.sh ${option(gate!.line, 'routing-out')}`);
  });

  it('GitLab pipelines: consumer publish after tests; provider verify → gate (MR note, JUnit) → manual traffic shift', () => {
    const consumer = gitlabJobs('ci/gitlab/consumer.gitlab-ci.yml');
    expect([...consumer.keys()]).toEqual(['contract-tests', 'publish-pacts', 'can-i-deploy']);
    expect(consumer.get('publish-pacts')!.spec.needs).toEqual(['contract-tests']);
    const deploy = consumer.get('can-i-deploy')!;
    expect(deploy.spec.needs).toEqual(['publish-pacts']);
    const asked = deploy.commands.findIndex((c) => c.includes('pact broker can-i-deploy'));
    expect(asked).toBeGreaterThanOrEqual(0);
    expect(deploy.commands.findIndex((c) => c.includes('pact broker record-deployment'))).toBeGreaterThan(asked);
    const provider = gitlabJobs('ci/gitlab/provider.gitlab-ci.yml');
    expect([...provider.keys()]).toEqual(['verify', 'gate', 'traffic-shift']);
    const gate = provider.get('gate')!;
    expect(gate.spec.needs).toEqual(['verify']);
    expect(gate.commands.some((c) => c.startsWith('ci/scripts/gitlab-mr-note.sh'))).toBe(true);
    expect(((gate.spec.artifacts as Yaml).reports as Yaml).junit).toBe('reports/gate.junit.xml');
    const shift = provider.get('traffic-shift')!;
    expect(shift.spec.needs).toEqual(['gate']);
    const [call] = cutoverCalls(gate.commands).filter((c) => c.command === 'gate');
    expect(shift.commands).toEqual([`ci/scripts/apply-routing.sh ${option(call!.line, 'routing-out')}`]);
  });
});

/** `pact broker <subcommand>` calls with the long options they pass. */
function pactCalls(commands: string[]): { sub: string; flags: string[]; line: string }[] {
  return commands.flatMap((line) =>
    [...line.matchAll(/(?:^|\s)(?:npx\s+)?pact broker ([a-z][\w-]*)(.*)$/g)].map((m) => ({
      sub: m[1]!,
      flags: [...m[2]!.matchAll(/--([a-z][\w-]*)/g)].map((f) => f[1]!),
      line,
    })),
  );
}

describe('CI templates: the stock Pact CLI', () => {
  it('calls only `pact broker` subcommands and options the installed @pact-foundation/pact-cli has', async () => {
    const calls = allJobs().flatMap((job) => pactCalls(job.commands).map((c) => ({ ...c, job: job.name })));
    expect(new Set(calls.map((c) => c.sub))).toEqual(
      new Set(['publish', 'create-or-update-pacticipant', 'can-i-deploy', 'record-deployment']),
    );
    const help = new Map<string, string>();
    for (const sub of new Set(calls.map((c) => c.sub))) {
      const res = await run(join(ROOT, 'node_modules/.bin/pact'), ['broker', sub, '--help']);
      expect(res.code, `pact broker ${sub} --help: ${res.stderr}`).toBe(0);
      help.set(sub, res.stdout);
    }
    for (const call of calls)
      for (const flag of call.flags)
        expect(help.get(call.sub), `${call.job}: pact broker ${call.sub} --${flag}`).toMatch(
          new RegExp(`--${flag}\\b`),
        );
  });
});

describe('CI templates: cutover broker as a service', () => {
  const unit = readFileSync(join(ROOT, 'ci/broker/cutover-broker.service'), 'utf8');
  const compose = parse(readFileSync(join(ROOT, 'ci/broker/compose.yaml'), 'utf8'), { merge: true }) as {
    services: Record<string, { command?: string; env_file?: string; environment?: Record<string, string> }>;
  };
  const envExample = readFileSync(join(ROOT, 'ci/broker/broker.env.example'), 'utf8');
  const cliSource = readFileSync(join(ROOT, 'packages/cli/src/commands/broker.ts'), 'utf8');

  it('ships the systemd unit, the compose file and the environment example', () => {
    expect(readdirSync(join(ROOT, 'ci/broker')).sort()).toEqual([
      'broker.env.example',
      'compose.yaml',
      'cutover-broker.service',
    ]);
  });

  it('starts `cutover broker` with options the CLI registers, on PostgreSQL, behind a base URL, with retention', async () => {
    const execStart = /^ExecStart=(.*)$/m.exec(unit)![1]!;
    const starts = [execStart, ...Object.values(compose.services).flatMap((s) => (s.command ? [s.command] : []))];
    expect(starts).toHaveLength(3);
    const listed = await commandOptions('broker');
    for (const start of starts) {
      // The unit runs the installed bin by its path, compose through npx and the package name.
      const line = start
        .replace(/\s+/g, ' ')
        .replace(/^\S*\/cutover /, 'cutover ')
        .replace(/npx --yes @cutover\/cli@\S+ /, 'cutover ');
      const [call] = cutoverCalls([line]);
      expect(call?.command, start).toBe('broker');
      for (const flag of call!.flags) expect([...listed!], `cutover broker --${flag}`).toContain(flag);
      expect(call!.flags).toEqual(expect.arrayContaining(['host', 'base-url', 'clean-every', 'keep-latest']));
    }
  });

  it('keeps the database URL and credentials off the command line, in variables the broker reads', () => {
    const variables = [...envExample.matchAll(/^#?\s*(CUTOVER_BROKER_[A-Z_]+)=/gm)].map((m) => m[1]!);
    expect(variables).toEqual(
      expect.arrayContaining([
        'CUTOVER_BROKER_DATABASE_URL',
        'CUTOVER_BROKER_WRITE_TOKEN',
        'CUTOVER_BROKER_READ_TOKEN',
        'CUTOVER_BROKER_WRITE_BASIC',
        'CUTOVER_BROKER_READ_BASIC',
      ]),
    );
    // The ones the CLI reads itself (the base URL is the unit's and compose's, passed as --base-url).
    for (const name of variables.filter((v) => v !== 'CUTOVER_BROKER_BASE_URL'))
      expect(cliSource, name).toContain(name.replace(/^CUTOVER_BROKER_(READ|WRITE)_/, 'CUTOVER_BROKER_${kind}_'));
    expect(unit).toMatch(/^EnvironmentFile=/m);
    for (const service of Object.values(compose.services).filter((s) => s.command)) {
      expect(service.env_file).toBe('broker.env');
      expect(service.command).not.toMatch(/postgres:\/\/|TOKEN|BASIC|--database-url/);
    }
    expect(/^ExecStart=(.*)$/m.exec(unit)![1]).not.toMatch(/postgres:\/\/|TOKEN|BASIC|--database-url/);
  });
});

describe('CI helper scripts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ci-scripts-'));
  const script = (name: string) => join(ROOT, 'ci/scripts', name);

  it('apply-routing.sh refuses when the gate wrote no artifact', async () => {
    const res = await run(script('apply-routing.sh'), [join(dir, 'empty')], {
      env: { GATEWAY_APPLY_COMMAND: 'echo applied' },
    });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('the gate did not allow the shift');
    expect(res.stdout).not.toContain('applied');
  });

  it('apply-routing.sh runs the gateway command with ROUTING_DIR when an artifact exists', async () => {
    const routing = mkdtempSync(join(dir, 'routing-'));
    writeFileSync(join(routing, 'cutover-weights.json'), '{"routes":[]}\n');
    const marker = join(dir, 'marker');
    const res = await run(script('apply-routing.sh'), [routing], {
      env: { GATEWAY_APPLY_COMMAND: `ls "$ROUTING_DIR" > ${marker}` },
    });
    expect(res.code).toBe(0);
    expect(readFileSync(marker, 'utf8').trim()).toBe('cutover-weights.json');
    const unset = await run(script('apply-routing.sh'), [routing], { env: { GATEWAY_APPLY_COMMAND: '' } });
    expect(unset.code).toBe(1);
  });

  it('wait-for-url.sh waits for a live URL and gives up on a dead one', async () => {
    const server = createServer((_, res) => res.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      expect((await run(script('wait-for-url.sh'), [`http://127.0.0.1:${port}/health`, '2'])).code).toBe(0);
    } finally {
      server.close();
    }
    const dead = await run(script('wait-for-url.sh'), [`http://127.0.0.1:${port}/health`, '1']);
    expect(dead.code).toBe(1);
    expect(dead.stderr).toContain('did not answer within 1s');
    rmSync(dir, { recursive: true, force: true });
  });
});
