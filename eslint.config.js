// @ts-check
import { existsSync, readdirSync } from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// Every package but core, read from the tree so the boundary cannot name a package that does not exist.
const siblings = readdirSync(new URL('./packages/', import.meta.url)).filter(
  (name) => name !== 'core' && existsSync(new URL(`./packages/${name}/package.json`, import.meta.url)),
);
const byName = (names) => names.flatMap((s) => [`@cutover/${s}`, `@cutover/${s}/*`]);
const noCli = {
  group: ['@cutover/cli', '@cutover/cli/*', '**/cli/src/**', '**/cli/dist/**'],
  message: 'Nothing imports the CLI: it is a thin layer over the packages.',
};
const byPath = { group: ['../../*/src/*', '../../../*/src/*'], message: 'Import packages by name, not by path.' };
// The broker server and its client each sit on core alone (the server may use its own client's
// package, never the reverse), so verifier and gate can use the client without a cycle.
const onCore = (name, also = []) => ({
  group: byName(siblings.filter((s) => s !== name && !also.includes(s))),
  message: `@cutover/${name} depends only on @cutover/core${also.map((a) => ` and @cutover/${a}`).join('')}.`,
});
const noBrokerServer = {
  name: '@cutover/broker',
  message:
    'Import the client, @cutover/broker-client: the broker server (fastify, databases) is not for verify and the gate to load.',
};

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', 'reports/**', 'coverage/**', 'bench/.out/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [noCli],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='process'][callee.property.name='exit']",
          message: 'Library code never calls process.exit: throw a coded error and let the CLI map it to an exit code.',
        },
      ],
    },
  },
  {
    // Architecture boundary: core is the foundation and imports no sibling package.
    files: ['packages/core/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: byName(siblings), message: '@cutover/core imports no sibling package.' }, byPath],
        },
      ],
    },
  },
  {
    files: ['packages/broker/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noCli, byPath, onCore('broker', ['broker-client'])] }] },
  },
  {
    // The broker's compatibility with the Pact clients' contracts is proven with cutover verify
    // itself: a test-only use of the verifier (built after the broker), not a package dependency.
    files: ['packages/broker/src/client-contracts.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [noCli, byPath, onCore('broker', ['broker-client', 'verifier'])] },
      ],
    },
  },
  {
    // The client loads light for verify, gate and record: nothing from the server.
    files: ['packages/broker-client/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noCli, byPath, onCore('broker-client')] }] },
  },
  {
    files: ['packages/verifier/**', 'packages/gate/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [noBrokerServer], patterns: [noCli, byPath] }] },
  },
  {
    // The CLI, examples, scripts, benchmarks and end-to-end tests own their process.
    files: ['packages/cli/**', 'examples/**', 'test/**', 'bench/**', 'scripts/**', 'ci/**'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['**/*.test.ts', 'test/**'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
