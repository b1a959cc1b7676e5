// Bundles the `cutover` command into packages/cli/dist/bundle/: bin.js plus one chunk per command
// (and per lazily imported dependency), so that start-up reads a handful of files instead of ~800.
// Run by `npm run build` after `tsc -b`; it bundles the compiled dist/ files, not the sources.
//
// Rules the bundle keeps, checked here so a new command or dependency cannot break them silently:
// - A module that finds files next to itself (import.meta.url, __dirname, __filename: package.json,
//   a JSON schema, yargs' locales) gets its installed location back at run time, resolved from the
//   CLI; its package must therefore be a dependency of @cutover/cli (or a workspace package).
// - Native addons (and the few packages below that load code at run time) stay external: they
//   are imported from node_modules, so they too must be dependencies of @cutover/cli.
import { readFileSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { lazyStringWidth } from './bundle-patches.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const cliDir = path.join(root, 'packages/cli');
const outdir = path.join(cliDir, 'dist/bundle');
const cliManifest = JSON.parse(readFileSync(path.join(cliDir, 'package.json'), 'utf8'));
const cliDependencies = new Set(Object.keys(cliManifest.dependencies ?? {}));

// tsx registers loaders and spawns esbuild: it has to run from its own files.
const ALWAYS_EXTERNAL = new Set(['tsx']);

// The broker server (fastify, pino's worker threads, better-sqlite3, pg) is a long-running process
// where start-up time does not count: `cutover broker` imports it from node_modules as installed.
// The client (`@cutover/broker-client`) is bundled like any other code.
const EXTERNAL_SPECIFIERS = new Set(['@cutover/broker']);

// Reviewed: these mention their own location without reading files next to themselves, so the
// chunk's location does as well (undici: stack traces of fetch, which cutover does not use;
// yargs-parser: a require for absolute config paths; fdir: an optional require of picomatch).
const LOCATION_INDEPENDENT = new Set(['undici', 'yargs-parser', 'fdir']);

/** The package a file inside node_modules (or a workspace package) belongs to, with its directory. */
function owningPackage(file) {
  let dir = path.dirname(file);
  while (dir !== path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      const { name } = JSON.parse(readFileSync(manifest, 'utf8'));
      if (name) return { name, dir };
    }
    dir = path.dirname(dir);
  }
  return undefined;
}

function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const nativeCache = new Map();
/** Packages with a compiled addon cannot be inlined. */
function isNative(dir) {
  if (!nativeCache.has(dir)) {
    const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    const deps = { ...manifest.dependencies, ...manifest.optionalDependencies };
    nativeCache.set(
      dir,
      Boolean(manifest.gypfile || manifest.binary) ||
        existsSync(path.join(dir, 'binding.gyp')) ||
        ['bindings', 'node-gyp-build', 'prebuild-install', 'node-pre-gyp', '@mapbox/node-pre-gyp'].some(
          (d) => d in deps,
        ),
    );
  }
  return nativeCache.get(dir);
}

const problems = [];
const externals = new Set();

/** @type {esbuild.Plugin} */
const keepLocations = {
  name: 'cutover-keep-locations',
  setup(build) {
    // yargs renders a command's help before running it, through cliui and wrap-ansi, whose
    // string-width 7 runs Intl.Segmenter over every string; string-width 8 (yargs' own) returns
    // the length of printable ASCII at once, with the same results. One copy for all three.
    build.onResolve({ filter: /^string-width$/ }, async (args) => {
      if (args.pluginData?.skip) return undefined;
      const yargsDir = path.dirname(path.join(root, 'node_modules/yargs/package.json'));
      return build.resolve('string-width', { kind: args.kind, resolveDir: yargsDir, pluginData: { skip: true } });
    });
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.path.startsWith('node:') || args.pluginData?.skip) return undefined;
      const name = packageName(args.path);
      let external = ALWAYS_EXTERNAL.has(name) || EXTERNAL_SPECIFIERS.has(args.path);
      if (!external) {
        const resolved = await build.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          importer: args.importer,
          pluginData: { skip: true },
        });
        if (resolved.errors.length > 0 || !resolved.path) return undefined;
        const owner = owningPackage(resolved.path);
        external = owner !== undefined && owner.name === name && isNative(owner.dir);
      }
      if (!external) return undefined;
      externals.add(name);
      return { path: args.path, external: true };
    });
    // Once a command's handler has started, yargs renders that command's full help and keeps it,
    // in case a later failure shows it (verify: some 60 options, on every run). The command line
    // never shows help after a command started (showHelpOnFail(false), no showHelp in a handler),
    // so the bundle keeps nothing; `--help` renders as before, on demand.
    build.onLoad({ filter: /[\\/]yargs[\\/]build[\\/]lib[\\/]usage\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const caching = 'cachedHelpMessage = this.help();';
      if (source.split(caching).length !== 2) {
        problems.push(`${args.path}: yargs no longer caches its help as "${caching}"; review the bundle's patch`);
        return undefined;
      }
      return { contents: source.replace(caching, ''), loader: 'js' };
    });
    build.onLoad({ filter: /[\\/]string-width[\\/]index\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      // string-width 7 (cliui's, wrap-ansi's) is redirected to yargs' 8 above; only 8 is patched.
      const patched = lazyStringWidth(source);
      if ('problem' in patched) {
        problems.push(`${args.path}: ${patched.problem}; review scripts/bundle-patches.mjs`);
        return undefined;
      }
      return { contents: patched.contents, loader: 'js' };
    });
    build.onLoad({ filter: /\.(m|c)?js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!/\bimport\.meta\.url\b|\b__dirname\b|\b__filename\b/.test(source)) return undefined;
      const owner = owningPackage(args.path);
      if (!owner || LOCATION_INDEPENDENT.has(owner.name)) return undefined;
      const relative = path.relative(owner.dir, args.path).split(path.sep).join('/');
      if (!owner.name.startsWith('@cutover/') && !cliDependencies.has(owner.name)) {
        problems.push(
          `${owner.name}/${relative} finds files next to itself (import.meta.url/__dirname): ` +
            `add ${owner.name} to packages/cli/package.json dependencies, or, if it reads no file ` +
            `there, to LOCATION_INDEPENDENT in scripts/bundle-cli.mjs`,
        );
      }
      const where = `__cutoverLocate(${JSON.stringify(owner.name)}, ${JSON.stringify(relative)})`;
      let contents = source.replace(/\bimport\.meta\.url\b/g, `${where}.url`);
      // CommonJS globals, unless the module declares its own (as ES modules emulating them do).
      for (const [global, field] of [
        ['__dirname', 'dirname'],
        ['__filename', 'filename'],
      ]) {
        if (!new RegExp(`(?:const|let|var)\\s+${global}\\b`).test(source)) {
          contents = contents.replace(new RegExp(`\\b${global}\\b`, 'g'), `${where}.${field}`);
        }
      }
      return { contents, loader: 'js' };
    });
  },
};

// Every chunk gets a `require` (for bundled CommonJS code requiring Node's built-ins) and the
// helper that gives a module its installed location back.
const banner = `import { createRequire as __cutoverCreateRequire } from 'node:module';
import { pathToFileURL as __cutoverPathToFileURL } from 'node:url';
import { existsSync as __cutoverExists, realpathSync as __cutoverRealpath } from 'node:fs';
import { join as __cutoverJoin, dirname as __cutoverDirname } from 'node:path';
const require = __cutoverCreateRequire(import.meta.url);
function __cutoverLocate(name, file) {
  const dir = (require.resolve.paths(name) ?? []).map((p) => __cutoverJoin(p, name)).find((p) => __cutoverExists(__cutoverJoin(p, 'package.json')));
  if (dir === undefined) throw new Error(\`cutover: cannot find the installed package \${name} (needed by its bundle)\`);
  const filename = __cutoverJoin(__cutoverRealpath(dir), file);
  return { filename, dirname: __cutoverDirname(filename), url: __cutoverPathToFileURL(filename).href };
}`;

rmSync(outdir, { recursive: true, force: true });
const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: { bin: path.join(cliDir, 'dist/bin.js') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  // Prefer packages' ES module builds: UMD builds (jsonc-parser's) hide their requires from esbuild.
  mainFields: ['module', 'main'],
  chunkNames: 'chunks/[name]-[hash]',
  banner: { js: banner },
  plugins: [keepLocations],
  metafile: true,
  logLevel: 'warning',
  legalComments: 'linked',
  // Less text for V8 to scan on every start (about 7% of `openapi check`); names are kept, so
  // stack traces still read. BUNDLE_READABLE=1 builds it unminified, for profiling.
  minifyWhitespace: !process.env.BUNDLE_READABLE,
  minifySyntax: !process.env.BUNDLE_READABLE,
});

for (const name of externals) {
  if (!cliDependencies.has(name) && !name.startsWith('@cutover/')) {
    problems.push(
      `${name} stays outside the bundle (native addon or run-time loader): add it to packages/cli/package.json dependencies`,
    );
  }
}
if (problems.length > 0) {
  rmSync(outdir, { recursive: true, force: true });
  console.error(`bundle-cli: the CLI bundle cannot be used as built:\n- ${[...new Set(problems)].join('\n- ')}`);
  process.exit(1);
}
if (process.env.BUNDLE_ANALYZE) console.log(await esbuild.analyzeMetafile(result.metafile));

// Which packages each file of the bundle holds (minified, it names none): what test/startup.test.ts
// reads to tell what a command loads. Not published (see the package's `files`).
const contents = {};
for (const [file, output] of Object.entries(result.metafile.outputs)) {
  if (!file.endsWith('.js')) continue;
  const names = new Set();
  for (const input of Object.keys(output.inputs)) {
    const modules = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\/[^]*$/.exec(input);
    const workspace = /^packages\/([^/]+)\//.exec(input);
    if (modules) names.add(modules[1]);
    else if (workspace) names.add(`@cutover/${workspace[1]}`);
  }
  contents[path.relative(outdir, path.join(root, file)).split(path.sep).join('/')] = [...names].sort();
}
writeFileSync(path.join(cliDir, 'dist/bundle-contents.json'), JSON.stringify(contents, null, 1) + '\n');
