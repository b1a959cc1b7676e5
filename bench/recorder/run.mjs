// The recording proxy's added latency and throughput: the same bounded load loop against the
// target directly, through a minimal pass-through proxy (the extra hop alone) and through
// `cutover record`'s proxy, rounds interleaved, in one run.
// CONNECTIONS (default 16), SECONDS per round (default 5), ROUNDS per side (default 3).
import { fileURLToPath } from 'node:url';
import { compareProxies, start } from '../support/proxy-load.mjs';

await compareProxies('recording proxy', (target) =>
  start(fileURLToPath(new URL('proxy.mjs', import.meta.url)), { TARGET: target }),
);
