import { parseArgs } from 'node:util';
import { startMonolith } from './server.js';

/**
 * `node --import tsx src/main.ts --port 0 --data logistics.json` starts the monolith and prints
 * `listening on <url>` once it accepts connections (scripts read the URL from that line).
 */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? '0' },
    host: { type: 'string', default: '127.0.0.1' },
    data: { type: 'string', default: process.env.DATA_FILE ?? 'logistics-data.json' },
    'no-provider-states': { type: 'boolean', default: false },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`logistics-monolith: --port must be a port number, got "${values.port}"`);
  process.exit(2);
}
const service = await startMonolith({
  port,
  host: values.host,
  dataFile: values.data,
  providerStates: !values['no-provider-states'],
});
console.log(`logistics-monolith listening on ${service.url}`);
const stop = () => void service.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
