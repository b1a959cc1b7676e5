import type { HttpBody, HttpInteraction, MessageInteraction, Pact } from '@cutover/core';

/** Small pact objects in the internal model, for tests that do not need a pact file. */
export function body(content: unknown, contentType = 'application/json'): HttpBody {
  return { kind: 'present', content, contentType };
}

export function interaction(
  index: number,
  description: string,
  request: {
    method: string;
    path: string;
    query?: Record<string, string[]>;
    headers?: Record<string, string[]>;
    body?: HttpBody;
  },
  response: { status: number; headers?: Record<string, string[]>; body?: HttpBody },
): HttpInteraction {
  return {
    type: 'http',
    replayable: true,
    index,
    description,
    providerStates: [],
    pending: false,
    request: {
      method: request.method,
      path: request.path,
      query: request.query ?? {},
      headers: request.headers ?? {},
      body: request.body ?? { kind: 'absent' },
      matchingRules: {},
      generators: {},
    },
    response: {
      status: response.status,
      headers: response.headers ?? {},
      body: response.body ?? { kind: 'absent' },
      matchingRules: {},
      generators: {},
    },
  };
}

export function message(index: number, description: string): MessageInteraction {
  return { type: 'async-message', replayable: false, index, description, providerStates: [], pending: false, raw: {} };
}

export function pact(consumer: string, interactions: (HttpInteraction | MessageInteraction)[], source?: string): Pact {
  return {
    consumer: { name: consumer },
    provider: { name: 'logistics' },
    specMajor: 4,
    specVersion: '4.0',
    metadata: {},
    interactions,
    problems: [],
    ...(source === undefined ? {} : { source }),
  };
}
