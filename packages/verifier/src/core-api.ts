/**
 * The parts of @cutover/core's engine the verifier calls. They are looked up when called so the
 * verifier builds while the engine is still landing; once it has landed these are plain re-exports.
 */
import * as core from '@cutover/core';
import type { HttpRequest, HttpResponse, MatchResult, Pact, SpecMajor } from '@cutover/core';

type Fn = (...args: never[]) => unknown;

function need<T extends Fn>(name: string): T {
  const fn = (core as unknown as Record<string, unknown>)[name];
  if (typeof fn !== 'function') {
    throw new Error(`@cutover/core does not export ${name} yet; the verifier needs it`);
  }
  return fn as T;
}

export function loadPact(input: string | object, options?: { lenient?: boolean; source?: string }): Promise<Pact> {
  return need<typeof loadPact>('loadPact')(input, options);
}

export function applyGenerators(
  request: HttpRequest,
  context?: { providerState?: Record<string, unknown>; mockServerUrl?: string },
): HttpRequest {
  return need<typeof applyGenerators>('applyGenerators')(request, context);
}

export function matchHttpResponse(
  expected: HttpResponse,
  actual: HttpResponse,
  options?: { specMajor?: SpecMajor },
): MatchResult {
  return need<typeof matchHttpResponse>('matchHttpResponse')(expected, actual, options);
}

export function observedResponse(observed: {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body?: Buffer | string;
}): HttpResponse {
  return need<typeof observedResponse>('observedResponse')(observed);
}

export function pathMatches(expression: string, path: (string | number)[]): boolean {
  return need<typeof pathMatches>('pathMatches')(expression, path);
}

export function parseRulePath(expression: string): unknown[] {
  return need<typeof parseRulePath>('parseRulePath')(expression);
}
