// Loaded with `node --import`: appends the URL of every ES module the process loads to the file
// named by CUTOVER_RECORD_LOADS, so a test can tell which chunks of the bundle a command read.
import { appendFileSync } from 'node:fs';
import { register } from 'node:module';

const out = process.env.CUTOVER_RECORD_LOADS;
if (out) {
  const { port1, port2 } = new MessageChannel();
  port1.on('message', (url) => appendFileSync(out, `${url}\n`));
  port1.unref();
  register(
    `data:text/javascript,export async function load(url, context, next) { globalThis.port.postMessage(url); return next(url, context); } export function initialize(data) { globalThis.port = data.port; }`,
    { data: { port: port2 }, transferList: [port2] },
  );
}
