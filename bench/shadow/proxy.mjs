// The shadow proxy under test (the built @cutover/shadow) in front of TARGET, mirroring every
// request to CANDIDATE (a second target) and comparing the answers. Prints its URL; at SIGTERM,
// prints the comparison counts to stderr so a run shows the comparisons really happened.
import { startShadowProxy } from '@cutover/shadow';

const shadow = await startShadowProxy({
  monolith: process.env.TARGET,
  candidate: process.env.CANDIDATE,
  ...(process.env.SAMPLE_RATE ? { sampleRate: Number(process.env.SAMPLE_RATE) } : {}),
  ...(process.env.MAX_PENDING ? { maxPending: Number(process.env.MAX_PENDING) } : {}),
});
console.log(`listening on ${shadow.url}`);
process.on('SIGTERM', () =>
  shadow.close(100).then(
    ({ totals }) => {
      console.error(
        `shadow proxy: ${totals.seen} seen, ${totals.compared} compared (${totals.identical} identical), ${totals.dropped} dropped, ${totals.errored} errored`,
      );
      process.exit(0);
    },
    () => process.exit(2),
  ),
);
