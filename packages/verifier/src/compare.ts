import type { ParityResult } from '@cutover/core';
import { comparable, observe } from './evaluate.js';
import type { CapturedResponse } from './http.js';
import { judgeParity } from './judge.js';
import type { RouteNoise } from './noise.js';
import { diffResponses } from './parity.js';

/**
 * Parity of two captured answers to one request, judged as verify judges an interaction: the
 * same differences, ranking and noise rules; `samples` are further answers of the monolith to the
 * same request, whose own differences are sampled noise (compared by type and format). Throws a
 * coded error when either side is not what its content type says (`url`s name the targets).
 */
export function compareCaptured(
  monolith: CapturedResponse,
  candidate: CapturedResponse,
  samples: readonly CapturedResponse[],
  noise: RouteNoise,
  urls: { monolith: string; candidate: string },
): ParityResult {
  const base = comparable(observe(monolith, urls.monolith), monolith);
  const differences = diffResponses(base, comparable(observe(candidate, urls.candidate), candidate), noise);
  const sampled = differences.some((d) => !d.noise)
    ? samples.map((s) => diffResponses(base, comparable(observe(s, urls.monolith), s), noise))
    : [];
  return judgeParity(differences, sampled, noise);
}
