// A small, fast provider for the verify benchmark: items exist only while their provider state is
// set up (Pact state-change protocol on POST /_pact/state), so state handling is exercised for real.
// Usage: node server.mjs  → prints the port on stdout.
import { createServer } from 'node:http';

const items = new Map();

const server = createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/_pact/state') {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const { params = {}, action = 'setup' } = JSON.parse(body || '{}');
      const id = Number(params.id);
      if (action === 'teardown') items.delete(id);
      else
        items.set(id, {
          id,
          name: `item ${id}`,
          price: (id % 100) + 0.5,
          tags: ['a', 'b'],
          updatedAt: '2026-01-01T00:00:00Z',
        });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(action === 'setup' ? JSON.stringify({ id }) : '{}');
    });
    return;
  }
  const match = /^\/items\/(\d+)$/.exec(req.url ?? '');
  const item = match ? items.get(Number(match[1])) : undefined;
  res.writeHead(item ? 200 : 404, { 'content-type': 'application/json' });
  res.end(JSON.stringify(item ?? { error: 'not found' }));
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
