// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const siblings = ['openapi', 'verifier', 'gate', 'broker', 'recorder', 'cli'];
const byName = (names) => names.flatMap((s) => [`@cutover/${s}`, `@cutover/${s}/*`]);
const noCli = {
  group: ['@cutover/cli', '@cutover/cli/*', '**/cli/src/**', '**/cli/dist/**'],
  message: 'Nothing imports the CLI: it is a thin layer over the packages.',
};
const byPath = { group: ['../../*/src/*', '../../../*/src/*'], message: 'Import packages by name, not by path.' };
const brokerOnCore = {
  group: byName(siblings.filter((s) => s !== 'broker')),
  message: '@cutover/broker depends only on @cutover/core.',
};
const clientNotServer = { name: '@cutover/broker', message: 'The client imports nothing from the broker server.' };
const noBrokerServer = {
  name: '@cutover/broker',
  message:
    'Import the client, @cutover/broker/client: the broker server (fastify, databases) is not for verify and the gate to load.',
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
    // @cutover/broker (server and client) sits on core alone, so verifier and gate can use its client without a cycle.
    files: ['packages/broker/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noCli, byPath, brokerOnCore] }] },
  },
  {
    // The broker's compatibility with the Pact clients' contracts is proven with cutover verify
    // itself: a test-only use of the verifier (built after the broker), not a package dependency.
    files: ['packages/broker/src/client-contracts.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            noCli,
            byPath,
            { ...brokerOnCore, group: byName(siblings.filter((s) => s !== 'broker' && s !== 'verifier')) },
          ],
        },
      ],
    },
  },
  {
    // The client imports nothing from the server, so loading it stays light for verify and the gate.
    files: ['packages/broker/src/client/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [clientNotServer],
          patterns: [
            noCli,
            byPath,
            brokerOnCore,
            { group: ['../../*'], message: 'The client imports nothing from the broker server (outside src/client).' },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/broker/src/client/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [clientNotServer],
          patterns: [
            noCli,
            byPath,
            brokerOnCore,
            { group: ['../*'], message: 'The client imports nothing from the broker server (outside src/client).' },
          ],
        },
      ],
    },
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
