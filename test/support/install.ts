import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, run } from './cli.js';

/** The workspace packages that are published (`private` not set), by folder under packages/. */
export function publishablePackages(): Array<{ dir: string; name: string }> {
  return readdirSync(join(ROOT, 'packages'))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(ROOT, 'packages', dir, 'package.json'), 'utf8')) }))
    .filter(({ manifest }) => !manifest.private)
    .map(({ dir, manifest }) => ({ dir, name: manifest.name as string }));
}

/**
 * Packs every publishable package (`npm pack`, as `npm publish` would) and installs the tarballs
 * into `project`, a fresh folder with its own package.json, as a user's repository installs them
 * from the registry: no workspace links, no `source` condition. Third-party dependencies come from
 * the registry (through npm's cache). Returns the tarball file names.
 */
export async function installFromTarballs(project: string, extra: string[] = []): Promise<string[]> {
  const packages = publishablePackages();
  const packed = await run('npm', [
    'pack',
    '--json',
    '--pack-destination',
    project,
    ...packages.flatMap(({ dir }) => ['-w', `packages/${dir}`]),
  ]);
  if (packed.code !== 0) throw new Error(`npm pack exited ${packed.code}\n${packed.stderr}`);
  const tarballs = (JSON.parse(packed.stdout) as Array<{ filename: string }>).map((t) => t.filename);
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'a-teams-repository', private: true, type: 'module' }, null, 2),
  );
  const installed = await run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      '--save-dev',
      ...tarballs.map((t) => `./${t}`),
      ...extra,
    ],
    // The broker's better-sqlite3 is compiled from source here (no prebuilt binary can be fetched):
    // minutes on a busy two-core machine.
    { cwd: project, timeoutMs: 480_000 },
  );
  if (installed.code !== 0) throw new Error(`npm install exited ${installed.code}\n${installed.stderr}`);
  return tarballs;
}
