// A state-handler module as users write them; records calls on globalThis so tests can read them.
type Call = { state: string; action: string; target: string; params: Record<string, unknown> };
const calls: Call[] = ((globalThis as { __cutoverStateCalls?: Call[] }).__cutoverStateCalls ??= []);

export default {
  'shipment 42 exists': {
    setup: (params: Record<string, unknown>, ctx: { target: string }) => {
      calls.push({ state: 'shipment 42 exists', action: 'setup', target: ctx.target, params });
      return { id: 42 };
    },
    teardown: (params: Record<string, unknown>, ctx: { target: string }) => {
      calls.push({ state: 'shipment 42 exists', action: 'teardown', target: ctx.target, params });
    },
  },
  'the database is down': () => {
    throw new Error('cannot seed: connection refused');
  },
};
