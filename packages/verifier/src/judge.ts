import type { Difference, ParityResult } from '@cutover/core';
import { findRule } from './noise.js';
import type { RouteNoise } from './noise.js';
import type { RawDifference as Diff } from './parity.js';

const FORMATS: [string, RegExp][] = [
  ['uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i],
  ['date-time', /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i],
  ['date', /^\d{4}-\d{2}-\d{2}$/],
  ['uri', /^[a-z][a-z0-9+.-]*:\/\/\S+$/i],
  ['email', /^[^@\s]+@[^@\s]+\.[^@\s]+$/],
  ['integer-string', /^-?\d+$/],
];

/** The obvious format a value has (uuid, date-time, date, uri, email, integer...), if any. */
export function formatOf(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : undefined;
  if (typeof value !== 'string') return undefined;
  return FORMATS.find(([, pattern]) => pattern.test(value))?.[0];
}

/** Whether a header difference is one the candidate leaves out, adds, or sends with another value. */
function presence(d: Difference): 'missing' | 'extra' | 'changed' {
  return d.candidate === undefined ? 'missing' : d.monolith === undefined ? 'extra' : 'changed';
}

function presenceReason(d: Difference): string {
  const shape = presence(d);
  if (shape === 'missing') return "the monolith's own samples vary in this header's value but always send it";
  if (shape === 'extra') return "the monolith's own samples vary in this header's value but never send it";
  return "the monolith's own samples vary only in whether they send this header, never in its value";
}

/** Response headers consumers act on: ranked right after the status and the body. */
const CONSUMER_HEADERS = new Set([
  'content-type',
  'content-encoding',
  'content-language',
  'content-disposition',
  'content-range',
  'cache-control',
  'expires',
  'location',
  'set-cookie',
  'link',
  'www-authenticate',
  'retry-after',
  'allow',
]);

function rank(d: Difference): number {
  if (d.kind === 'status') return 0;
  if (d.kind !== 'header') return 1;
  return CONSUMER_HEADERS.has(d.path) ? 2 : 3;
}

/**
 * Differences in the order a person should read them: the status, then the body (in document
 * order), then the headers consumers act on (Content-Type, Cache-Control, Location, Set-Cookie,
 * Link…), then the other headers; alphabetical within each group of headers.
 */
export function rankDifferences<T extends Difference>(differences: T[]): T[] {
  return differences
    .map((d, i) => [d, i] as const)
    .sort(([a, i], [b, j]) => rank(a) - rank(b) || i - j)
    .map(([d]) => d);
}

/**
 * Decides, difference by difference, what counts and what is noise.
 *
 * `samples` are the differences between the monolith's own samples (sample 0 against each later
 * one). A candidate difference at a path where the samples also differed, of the same kind, is
 * sampled noise — except that a varying value must keep its type (guaranteed by kind `value`)
 * and the format the monolith's samples share (a UUID stays a UUID).
 */
export function judgeParity(differences: Diff[], samples: Diff[][], noise: RouteNoise): ParityResult {
  const counted: Difference[] = [];
  const noisy: Difference[] = [];
  const sampled = new Map<string, Diff[]>();
  for (const sample of samples) {
    for (const d of sample) {
      const key = `${d.kind === 'header' ? 'h' : 'b'}:${d.path}`;
      const list = sampled.get(key);
      if (list) list.push(d);
      else sampled.set(key, [d]);
    }
  }
  for (const d of differences) {
    const { segments, numbers: _numbers, ...difference } = d;
    if (difference.noise) {
      noisy.push(difference);
      continue;
    }
    if (d.kind !== 'status' && d.kind !== 'header' && d.kind !== 'body-type') {
      const rule = findRule(noise.rules, segments, ['ignore', 'type', 'tolerance'], true);
      const declared =
        rule !== undefined &&
        (rule.mode === 'ignore' ||
          (rule.mode === 'type' && ['value', 'array-length', 'array-order'].includes(d.kind)) ||
          (rule.mode === 'tolerance' &&
            d.numbers !== undefined &&
            Math.abs(d.numbers[0] - d.numbers[1]) <= (rule.tolerance ?? 0) &&
            (rule.tolerance ?? 0) > 0));
      if (declared) {
        noisy.push({
          ...difference,
          noise: 'declared',
          message: `${difference.message} (declared noise: ${rule.mode} ${rule.path})`,
        });
        continue;
      }
    }
    const atPath = sampled.get(`${d.kind === 'header' ? 'h' : 'b'}:${d.path}`)?.filter((s) => s.kind === d.kind);
    // A header the candidate leaves out (or adds) is noise only when the monolith's own samples
    // leave it out (or add it) too; a value that varies says nothing about presence.
    const seen = d.kind === 'header' ? atPath?.filter((s) => presence(s) === presence(d)) : atPath;
    if (d.kind === 'header' && atPath && atPath.length > 0 && seen?.length === 0) {
      counted.push({ ...difference, message: `${difference.message}: ${presenceReason(d)}` });
      continue;
    }
    if (seen && seen.length > 0 && d.kind !== 'status') {
      if (d.kind === 'value' || d.kind === 'header') {
        const monolithFormats = new Set([formatOf(d.monolith), ...seen.map((s) => formatOf(s.candidate))]);
        const format = monolithFormats.size === 1 ? [...monolithFormats][0] : undefined;
        if (format !== undefined && formatOf(d.candidate) !== format) {
          counted.push({
            ...difference,
            message: `${difference.message}: the value varies between the monolith's own samples, but the monolith's are ${format} and the candidate's is not`,
          });
          continue;
        }
      }
      noisy.push({
        ...difference,
        noise: 'sampled',
        message: `${difference.message} (varies between the monolith's own samples)`,
      });
      continue;
    }
    counted.push(difference);
  }
  const status = counted.length > 0 ? 'differs' : noisy.length > 0 ? 'noise-only' : 'identical';
  return { status, differences: rankDifferences(counted), noise: rankDifferences(noisy) };
}
