import { describe, expect, it } from 'vitest';
import { differencesOf, sideBySide } from './side-by-side.js';

describe('demo side-by-side table', () => {
  const decision = {
    routes: [
      {
        reasons: [
          {
            consumer: 'web-app',
            interaction: 'tracking',
            difference: { path: '$.eta.estimatedDelivery', monolith: '2026-11-19T13:30:00.000Z', candidate: undefined },
          },
          {
            consumer: 'web-app',
            interaction: 'tracking',
            difference: { path: '$.eta.estimatedDelivery', monolith: 'x', candidate: 'y' },
          },
          { consumer: 'web-app', interaction: 'tracking', violation: {} },
          { consumer: 'mobile-app', interaction: 'eta', difference: { path: '$', monolith: 404, candidate: 500 } },
        ],
      },
    ],
  };

  it('lists each cited difference once, grouped by consumer interaction', () => {
    expect(differencesOf(decision)).toEqual([
      {
        where: 'web-app: tracking',
        path: '$.eta.estimatedDelivery',
        monolith: '2026-11-19T13:30:00.000Z',
        candidate: undefined,
      },
      { where: 'mobile-app: eta', path: '$', monolith: 404, candidate: 500 },
    ]);
  });

  it('puts the monolith value next to the candidate value, marking absent ones', () => {
    const table = sideBySide(differencesOf(decision)).split('\n');
    expect(table[0]).toMatch(/^path\s+│ monolith\s+│ candidate$/);
    expect(table).toContain('web-app: tracking');
    const row = table.find((l) => l.startsWith('$.eta.estimatedDelivery'))!;
    expect(row.split('│').map((c) => c.trim())).toEqual([
      '$.eta.estimatedDelivery',
      '"2026-11-19T13:30:00.000Z"',
      '(absent)',
    ]);
    expect(
      table
        .find((l) => l.startsWith('$ '))!
        .split('│')
        .map((c) => c.trim()),
    ).toEqual(['$', '404', '500']);
  });

  it('says so when the decision cites no difference', () => {
    expect(sideBySide(differencesOf({ routes: [{ reasons: [] }] }))).toBe('(no differences cited)');
  });
});
