// The shadow proxy's added latency on the caller's path and its throughput cost: the same bounded
// load loop against the target directly, through a minimal pass-through proxy (the extra hop
// alone) and through `cutover shadow`'s proxy mirroring every request to a second target (the
// candidate) and comparing the answers, rounds interleaved, in one run.
// CONNECTIONS (default 16), SECONDS per round (default 5), ROUNDS per side (default 3);
// SAMPLE_RATE and MAX_PENDING are passed to the proxy.
import { fileURLToPath } from 'node:url';
import { compareProxies, start } from '../support/proxy-load.mjs';

const here = (file) => fileURLToPath(new URL(file, import.meta.url));
const candidate = await start(here('../recorder/target.mjs'));
try {
  await compareProxies('shadow proxy', (target) =>
    start(here('proxy.mjs'), { TARGET: target, CANDIDATE: candidate.url }),
  );
} finally {
  candidate.child.kill('SIGTERM');
}
