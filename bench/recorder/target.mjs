// The benchmark's target: a 1 KB JSON answer per request, like a tracking lookup, after DELAY_MS
// of waiting (a database round trip; default 0: answer at once). Prints its URL.
import { createServer } from 'node:http';

const DELAY_MS = Number(process.env.DELAY_MS ?? 0);

const body = JSON.stringify({
  shipmentId: 'SHP-1001',
  status: 'in_transit',
  events: Array.from({ length: 6 }, (_, i) => ({
    id: `EVT-${i}`,
    status: 'in_transit',
    location: { city: 'Leipzig', country: 'DE' },
    occurredAt: '2026-11-18T07:30:00.000Z',
  })),
});
const answer = (res) => {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
};
const server = createServer((req, res) => (DELAY_MS > 0 ? setTimeout(answer, DELAY_MS, res) : answer(res)));
server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
