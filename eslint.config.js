// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const siblings = ['openapi', 'verifier', 'gate', 'broker', 'recorder', 'cli'];

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
          patterns: [
            {
              group: ['@cutover/cli', '@cutover/cli/*', '**/cli/src/**', '**/cli/dist/**'],
              message: 'Nothing imports the CLI: it is a thin layer over the packages.',
            },
          ],
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
          patterns: [
            {
              group: siblings.flatMap((s) => [`@cutover/${s}`, `@cutover/${s}/*`]),
              message: '@cutover/core imports no sibling package.',
            },
            { group: ['../../*/src/*', '../../../*/src/*'], message: 'Import packages by name, not by path.' },
          ],
        },
      ],
    },
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
