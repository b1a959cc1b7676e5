import { resolve } from 'node:path';
import { afterAll } from 'vitest';
import { mergePactFile } from '../write.js';
import { captureNock } from './capture.js';
import type { NockNote, NockPactOptions } from './convert.js';
import { pactFromInterceptors } from './interceptors.js';

export interface RecordPactsOptions extends NockPactOptions {
  /** Folder the pact is written to (default `pacts`, from the working directory). */
  dir?: string;
  /** Only interceptors on this base URL (`http://api.example:80`, as nock writes it) or matching it. */
  baseUrl?: string | RegExp;
  /** Where notes go (default: one `console.warn` line each). */
  onNote?: (note: NockNote) => void;
}

/**
 * For a vitest setup file: turns every nock interceptor the test files declare into the pact of
 * `consumer` with `provider`. After each test file, its interactions are merged into
 * `<dir>/<consumer>-<provider>.json` (same description: replaced), under a lock, written
 * atomically. Whatever nock says that Pact cannot is reported (see {@link NockNote}).
 *
 * @example
 * // vitest.setup.ts, listed in `test.setupFiles`
 * import { recordPacts } from '@cutover/recorder/nock';
 * recordPacts({ consumer: 'web-app', provider: 'logistics', dir: 'pacts' });
 */
export function recordPacts(options: RecordPactsOptions): void {
  const capture = captureNock();
  const report =
    options.onNote ??
    ((note: NockNote) =>
      console.warn(
        `cutover nock bridge: ${note.interceptor}: ${note.recorded ? '' : 'NOT IN THE PACT: '}${note.message}`,
      ));
  afterAll(async () => {
    capture.stop();
    const { baseUrl } = options;
    const interceptors = capture.interceptors.filter(
      (i) => baseUrl === undefined || (typeof baseUrl === 'string' ? i.basePath === baseUrl : baseUrl.test(i.basePath)),
    );
    const { pact, notes } = pactFromInterceptors(interceptors, capture.seen, options);
    notes.forEach((note) => report(note));
    if (pact.interactions.length > 0) await mergePactFile(resolve(options.dir ?? 'pacts'), pact);
  });
}
