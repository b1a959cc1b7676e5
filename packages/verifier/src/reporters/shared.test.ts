import { describe, expect, it } from 'vitest';
import type { Difference, InteractionResult } from '@cutover/core';
import { sharedHeaderDifferences } from './shared.js';

function result(
  differences: Difference[],
  status: InteractionResult['parity']['status'] = 'differs',
): InteractionResult {
  return {
    consumer: 'web-app',
    provider: 'logistics',
    description: 'd',
    providerStates: [],
    pending: false,
    route: { method: 'GET', path: '/x' },
    targets: {},
    parity: { status, differences, noise: [] },
  };
}

const header = (path: string, monolith: string | undefined, candidate: string | undefined): Difference => ({
  kind: 'header',
  path,
  monolith,
  candidate,
  message: `Header ${path}`,
});

describe('sharedHeaderDifferences', () => {
  it('states a header difference repeated the same way once, with how many compared interactions showed it', () => {
    const vary = header('vary', 'Origin', 'Accept');
    const powered = header('x-powered-by', undefined, 'Express');
    const { shared, isShared } = sharedHeaderDifferences([
      result([vary, powered]),
      result([vary, powered, header('link', '</a>', undefined)]),
      result([vary]),
      result([], 'not-compared'),
    ]);
    expect(shared.map((h) => h.sentence)).toEqual([
      'vary is "Origin" on the monolith but "Accept" on the candidate on every one of the 3 compared interactions',
      'the candidate sends x-powered-by: "Express", which the monolith does not, on 2 of 3 compared interactions',
    ]);
    expect(isShared(vary)).toBe(true);
    expect(isShared(header('link', '</a>', undefined))).toBe(false);
    // The same header with other values is another difference.
    expect(isShared(header('vary', 'Origin', 'Cookie'))).toBe(false);
  });

  it('never groups body differences', () => {
    const body: Difference = { kind: 'value', path: '$.a', monolith: 1, candidate: 2, message: 'm' };
    const { shared, isShared } = sharedHeaderDifferences([result([body]), result([body])]);
    expect(shared).toEqual([]);
    expect(isShared(body)).toBe(false);
  });
});
