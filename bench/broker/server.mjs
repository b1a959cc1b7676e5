// The broker under benchmark, in a process of its own so the load generator does not share its
// event loop, and so its CPU time can be told apart from the client's. Driven over IPC by bench.mjs.
import { createBroker } from '../../packages/broker/dist/index.js';
import { seed } from './fixtures.mjs';

const broker = await createBroker({ database: JSON.parse(process.env.BENCH_DATABASE), webhooks: { deliver: false } });
const url = await broker.listen({ port: 0 });
process.on('message', async (m) => {
  try {
    if (m.do === 'seed') process.send({ seededMs: await seed(broker, m.versions) });
    else if (m.do === 'cpu') process.send({ cpu: process.cpuUsage() });
    else if (m.do === 'count') {
      const { count } = await broker.storage.db
        .selectFrom('pact_publications')
        .select((eb) => eb.fn.countAll().as('count'))
        .executeTakeFirstOrThrow();
      process.send({ count: Number(count) });
    } else if (m.do === 'close') {
      await broker.close();
      process.send({ closed: true });
      process.disconnect();
    }
  } catch (error) {
    process.send({ error: error.stack ?? String(error) });
  }
});
process.send({ url });
