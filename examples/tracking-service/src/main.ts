import { parseArgs } from 'node:util';
import { startTrackingService } from './server.js';

/**
 * `node --import tsx src/main.ts --port 0 --data logistics.json [--divergence renamed-field]`
 * prints `tracking-service listening on <url>` once it accepts connections.
 */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? '0' },
    host: { type: 'string', default: '127.0.0.1' },
    data: { type: 'string', default: process.env.DATA_FILE ?? 'logistics-data.json' },
    divergence: { type: 'string', default: process.env.DIVERGENCE ?? '' },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`tracking-service: --port must be a port number, got "${values.port}"`);
  process.exit(2);
}
let service;
try {
  service = await startTrackingService({
    port,
    host: values.host,
    dataFile: values.data,
    divergence: values.divergence,
  });
} catch (error) {
  console.error(`tracking-service: ${(error as Error).message}`);
  process.exit(2);
}
const running = service;
const mode = running.divergences.length > 0 ? ` (divergence: ${running.divergences.join(', ')})` : '';
console.log(`tracking-service listening on ${running.url}${mode}`);
const stop = () => void running.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
