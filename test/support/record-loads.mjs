// Loaded with `node --import`: appends the URL of every ES module the process loads to the file
// named by CUTOVER_RECORD_LOADS, so a test can tell which chunks of the bundle a command read. At
// exit it adds the CommonJS modules required (as file URLs) and Node's built-in modules loaded
// (as `node:<name>`), which no load hook sees.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';

const out = process.env.CUTOVER_RECORD_LOADS;
if (out) {
  const { port1, port2 } = new MessageChannel();
  port1.on('message', (url) => appendFileSync(out, `${url}\n`));
  port1.unref();
  register(
    `data:text/javascript,export async function load(url, context, next) { globalThis.port.postMessage(url); return next(url, context); } export function initialize(data) { globalThis.port = data.port; }`,
    { data: { port: port2 }, transferList: [port2] },
  );
  process.on('exit', () => {
    const required = Object.keys(createRequire(import.meta.url).cache).map((file) => pathToFileURL(file).href);
    const builtins = process.moduleLoadList
      .filter((m) => m.startsWith('NativeModule '))
      .map((m) => `node:${m.slice(13)}`);
    appendFileSync(out, [...required, ...builtins].map((line) => `${line}\n`).join(''));
  });
}
