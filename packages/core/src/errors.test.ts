import { describe, expect, it } from 'vitest';
import { CutoverError, ErrorCodes, PactLoadError, describeError, isCutoverError } from './errors.js';

describe('coded errors', () => {
  it('carries a stable code, details and the real cause', () => {
    const cause = new SyntaxError('Unexpected token');
    const error = new PactLoadError('pacts/a.json: not JSON', { cause, details: { source: 'pacts/a.json' } });
    expect(error.code).toBe(ErrorCodes.PACT_INVALID);
    expect(error.name).toBe('PactLoadError');
    expect(error.cause).toBe(cause);
    expect(error.details).toEqual({ source: 'pacts/a.json' });
    expect(isCutoverError(error)).toBe(true);
    expect(error).toBeInstanceOf(CutoverError);
  });

  it('describes foreign errors without losing their code', () => {
    const econn = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(describeError(econn)).toEqual({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' });
    expect(describeError('boom')).toEqual({ message: 'boom' });
  });
});
