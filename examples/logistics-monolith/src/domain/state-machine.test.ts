import { describe, expect, it } from 'vitest';
import { SHIPMENT_STATUSES } from './model.js';
import { allowedTransitions, canTransition, isTerminal, pathTo } from './state-machine.js';

describe('shipment state machine', () => {
  it('walks every seeded history along legal edges only', () => {
    for (const status of SHIPMENT_STATUSES) {
      const path = pathTo(status);
      expect(path[0]).toBe('created');
      expect(path.at(-1)).toBe(status);
      for (let i = 1; i < path.length; i++)
        expect(canTransition(path[i - 1]!, path[i]!), `${path[i - 1]} -> ${path[i]}`).toBe(true);
    }
  });

  it('forbids skipping steps and leaving terminal statuses', () => {
    expect(canTransition('created', 'delivered')).toBe(false);
    expect(canTransition('picked_up', 'out_for_delivery')).toBe(false);
    for (const terminal of ['delivered', 'returned', 'cancelled'] as const) {
      expect(isTerminal(terminal)).toBe(true);
      expect(allowedTransitions(terminal)).toEqual([]);
    }
  });

  it('lets an exception go back in transit or be returned, but not straight to delivered', () => {
    expect(allowedTransitions('exception')).toEqual(['in_transit', 'returned']);
    expect(canTransition('exception', 'delivered')).toBe(false);
  });
});
