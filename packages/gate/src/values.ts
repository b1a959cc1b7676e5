/**
 * The grammar of values the gate writes into routing artifacts (nginx, Envoy, JSON) and reports.
 * A value that does not fit is refused where it enters (policy, command line, results file), with
 * a coded error naming the field; what the artifacts print besides is escaped for their format.
 * The policy schema carries the same patterns (a test keeps them equal).
 */

/** The candidate service: a name or host[:port], with spaces allowed (`tracking service`). */
export const SERVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._:/@+-]*$/;

/** An nginx upstream / Envoy cluster name, written as a bare word into the nginx map. */
export const UPSTREAM_NAME = /^[A-Za-z0-9_.-]+$/;

/** A candidate version: semver (`1.4.0-rc.1+build.5`), a commit, a tag or branch-like name, a timestamp. */
export const VERSION = /^[A-Za-z0-9][A-Za-z0-9._+:/@~-]*$/;

/** Longest service name or version accepted. */
export const MAX_NAME_LENGTH = 200;

/**
 * Why `value` cannot be a candidate version, or undefined when it can.
 *
 * @example
 * versionProblem('1.4.0') // undefined
 * versionProblem('1.4.0\nadd_header X 1;') // 'must be letters, digits and ._+:/@~- ...'
 */
export function versionProblem(value: string): string | undefined {
  if (value.length > MAX_NAME_LENGTH) return `is longer than ${MAX_NAME_LENGTH} characters`;
  if (!VERSION.test(value))
    return `must start with a letter or digit and hold only letters, digits and ._+:/@~- (got ${JSON.stringify(value)})`;
  return undefined;
}

/**
 * Why `value` cannot be a forced rollout weight (a whole percentage), or undefined when it can.
 *
 * @example
 * forceWeightProblem(50) // undefined
 * forceWeightProblem(120) // 'must be an integer from 0 to 100 (got 120)'
 */
export function forceWeightProblem(value: number): string | undefined {
  if (Number.isInteger(value) && value >= 0 && value <= 100) return undefined;
  return `must be an integer from 0 to 100 (got ${String(value)})`;
}
