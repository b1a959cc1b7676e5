// The recording proxy under test (the built @cutover/recorder), in front of TARGET. Prints its URL.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRecorder } from '@cutover/recorder';

const recorder = await startRecorder({
  target: process.env.TARGET,
  provider: 'bench',
  outDir: mkdtempSync(join(tmpdir(), 'cutover-bench-recorder-')),
  consumers: { header: 'x-client' },
  ...(process.env.MAX_BODY_BYTES ? { maxBodyBytes: Number(process.env.MAX_BODY_BYTES) } : {}),
  onEvent: (event) => {
    if (event.type === 'write-failed') console.error(event.error.message);
  },
});
console.log(`listening on ${recorder.url}`);
process.on('SIGTERM', () =>
  recorder.close().then(
    () => process.exit(0),
    () => process.exit(2),
  ),
);
