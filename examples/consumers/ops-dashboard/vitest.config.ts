import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The dashboard's own test run: the same nock tests, plus one setup file that turns their
// interceptors into a pact (PACT_DIR, default ./pacts).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    include: ['src/**/*.test.ts'],
    setupFiles: ['./src/pact.setup.ts'],
    reporters: ['default'],
  },
});
