import { readdirSync, existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// One project per package (tests live beside the code), plus the end-to-end suite and the examples.
// The "source" condition makes sibling packages resolve to their TypeScript sources, so a test never
// runs against a stale build.
const packages = readdirSync('packages').filter((name) => existsSync(`packages/${name}/package.json`));

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    reporters: ['default', ['json', { outputFile: 'reports/vitest.json' }]],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      ...packages.map((name) => ({
        extends: true as const,
        test: { name, include: [`packages/${name}/src/**/*.test.ts`] },
      })),
      {
        extends: true as const,
        test: { name: 'examples', include: ['examples/**/*.test.ts'], exclude: ['**/node_modules/**'] },
      },
      { extends: true as const, test: { name: 'e2e', include: ['test/**/*.test.ts'] } },
    ],
  },
});
