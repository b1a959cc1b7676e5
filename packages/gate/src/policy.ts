import { readFile } from 'node:fs/promises';
import type { ErrorObject } from 'ajv';
import {
  ConfigError,
  formatJsonPath,
  parseDuration,
  parseYaml,
  pathPatternProblem,
  splitPointer,
  yamlLocator,
} from '@cutover/core';
import validatePolicySchema from './generated/policy-schema.js';
import { patternsOverlap } from './route-patterns.js';
import { DEFAULT_SHADOW_REQUIREMENT, type ShadowRequirement } from './shadow.js';

/** HTTP methods a route can name. */
export type RouteMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

/** The rules a route's evidence must satisfy, after defaults are applied. */
export interface RouteRules {
  requirePactPass: boolean;
  parity: { required: boolean; allowNoise: boolean };
  schema: { required: boolean; allowBaseline: boolean };
  requiredConsumers: string[];
  requireAllOperationsExercised: boolean;
  /** Block evidence not checked against the current pact content (`--pact` SHA-256, or the broker's matrix). */
  requirePactFingerprints: boolean;
  /** Accept a route whose `**` opens more than its evidence reaches (e.g. `/**` on evidence under `/api/items`). */
  allowBroaderThanEvidence: boolean;
  /** Milliseconds; undefined means no limit. */
  maxEvidenceAgeMs?: number;
  /** As written in the policy (`24h`), for reports. */
  maxEvidenceAge?: string;
  /** Shadow evidence the route needs (`cutover shadow`); undefined when none. */
  shadow?: ShadowRequirement;
}

export interface PolicyRoute {
  name: string;
  methods: RouteMethod[];
  path: string;
  currentWeight: number;
  requestedWeight: number;
  rolloutSteps: number[];
  rules: RouteRules;
}

/** A validated gate policy with every default applied. */
export interface Policy {
  source: string;
  provider?: string;
  candidate: { service: string; upstream: string };
  monolith: { upstream: string };
  routes: PolicyRoute[];
}

export const DEFAULT_ROLLOUT_STEPS: readonly number[] = [1, 10, 50, 100];

/** Fail-closed defaults: everything that can be required is, except what needs extra inputs. */
export const DEFAULT_RULES: Readonly<RouteRules> = {
  requirePactPass: true,
  parity: { required: true, allowNoise: true },
  schema: { required: true, allowBaseline: true },
  requiredConsumers: [],
  requireAllOperationsExercised: false,
  requirePactFingerprints: false,
  allowBroaderThanEvidence: false,
};

/** Where the published JSON Schema of the policy lives (also exported as `@cutover/gate/schema/cutover-policy.schema.json`). */
export const POLICY_SCHEMA_URL = new URL('../schema/cutover-policy.schema.json', import.meta.url);

// Precompiled from schema/cutover-policy.schema.json by scripts/generate-validators.mjs (ajv
// standalone code, checked current by a test), so a gate run does not compile it.
const checkPolicySchema = validatePolicySchema as unknown as ((data: unknown) => boolean) & {
  errors?: ErrorObject[] | null;
};

interface RawRules {
  requirePactPass?: boolean;
  parity?: { required?: boolean; allowNoise?: boolean };
  schema?: { required?: boolean; allowBaseline?: boolean };
  requiredConsumers?: string[];
  requireAllOperationsExercised?: boolean;
  requirePactFingerprints?: boolean;
  allowBroaderThanEvidence?: boolean;
  maxEvidenceAge?: string;
  shadow?: Partial<ShadowRequirement>;
}

interface RawPolicy {
  version: 1;
  provider?: string;
  candidate: { service: string; upstream?: string };
  monolith?: { upstream?: string };
  rolloutSteps?: number[];
  defaults?: RawRules;
  routes: {
    name: string;
    match: { methods: RouteMethod[]; path: string };
    currentWeight: number;
    requestedWeight?: number;
    rolloutSteps?: number[];
    rules?: RawRules;
  }[];
}

function pointerSegments(pointer: string): (string | number)[] {
  return splitPointer(pointer).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function ajvMessage(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return `unknown property "${String(params.additionalProperty)}"`;
    case 'required':
      return `missing required property "${String(params.missingProperty)}"`;
    case 'enum':
      return `${error.message ?? 'not allowed'}: ${JSON.stringify(params.allowedValues)}`;
    case 'const':
      return `must be ${JSON.stringify(params.allowedValue)}`;
    default:
      return error.message ?? error.keyword;
  }
}

function mergeRules(...layers: (RawRules | undefined)[]): RouteRules {
  const rules: RouteRules = {
    ...DEFAULT_RULES,
    parity: { ...DEFAULT_RULES.parity },
    schema: { ...DEFAULT_RULES.schema },
    requiredConsumers: [],
  };
  for (const layer of layers) {
    if (!layer) continue;
    if (layer.requirePactPass !== undefined) rules.requirePactPass = layer.requirePactPass;
    if (layer.parity) rules.parity = { ...rules.parity, ...layer.parity };
    if (layer.schema) rules.schema = { ...rules.schema, ...layer.schema };
    if (layer.requiredConsumers) rules.requiredConsumers = [...layer.requiredConsumers];
    if (layer.requireAllOperationsExercised !== undefined)
      rules.requireAllOperationsExercised = layer.requireAllOperationsExercised;
    if (layer.requirePactFingerprints !== undefined) rules.requirePactFingerprints = layer.requirePactFingerprints;
    if (layer.allowBroaderThanEvidence !== undefined) rules.allowBroaderThanEvidence = layer.allowBroaderThanEvidence;
    if (layer.shadow) rules.shadow = { ...DEFAULT_SHADOW_REQUIREMENT, ...rules.shadow, ...layer.shadow };
    if (layer.maxEvidenceAge !== undefined) {
      rules.maxEvidenceAge = layer.maxEvidenceAge;
      rules.maxEvidenceAgeMs = parseDuration(layer.maxEvidenceAge);
    }
  }
  return rules;
}

function upstreamName(service: string): string {
  return service.replace(/[^A-Za-z0-9_.-]/g, '_');
}

/**
 * Parses and validates policy text (YAML or JSON). Every problem is reported at once, each with
 * the file, line and JSON path.
 *
 * @example
 * const policy = parsePolicy(text, 'contracts/cutover.yaml');
 */
export function parsePolicy(text: string, source = '<policy>'): Policy {
  const raw = parseYaml(text, { source, what: 'the policy' });
  if (raw === null || raw === undefined)
    throw new ConfigError(`${source}: the policy is empty; see the schema at ${POLICY_SCHEMA_URL.pathname}`, {
      details: { file: source },
    });

  let locate: ReturnType<typeof yamlLocator> | undefined;
  const where = (segments: (string | number)[]): string => {
    // Point at the deepest node that exists (a missing property is reported at its parent).
    const at = (locate ??= yamlLocator(text))(segments);
    return at ? `${source}:${at.line}:${at.column}` : source;
  };
  const fail = (problems: { segments: (string | number)[]; message: string }[]): never => {
    const lines = problems.map((p) => `  ${where(p.segments)} ${formatJsonPath(p.segments)}: ${p.message}`);
    throw new ConfigError(
      `${source}: invalid policy (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}`,
      {
        details: {
          file: source,
          problems: problems.map((p) => ({ jsonPath: formatJsonPath(p.segments), message: p.message })),
        },
      },
    );
  };

  // Schema problems and semantic ones are reported together: the semantic checks run on every
  // part the schema accepted (top-level steps, each route with no schema error of its own).
  const schemaErrors = checkPolicySchema(raw) ? [] : (checkPolicySchema.errors ?? []).filter((e) => e.keyword !== 'if');
  const problems: { segments: (string | number)[]; message: string }[] = schemaErrors.map((e) => ({
    segments: pointerSegments(e.instancePath),
    message: ajvMessage(e),
  }));
  const schemaValid = (pointer: string): boolean =>
    !schemaErrors.some((e) => e.instancePath === pointer || e.instancePath.startsWith(`${pointer}/`));
  const policy = raw as RawPolicy;
  const isRecord = typeof raw === 'object' && !Array.isArray(raw);
  const topSteps = isRecord && schemaValid('/rolloutSteps') ? policy.rolloutSteps : undefined;
  const topStepsUsable = isRecord && schemaValid('/rolloutSteps');

  const checkSteps = (steps: number[] | undefined, segments: (string | number)[]): void => {
    if (steps && steps.some((s, i) => i > 0 && s <= steps[i - 1]!))
      problems.push({ segments, message: 'rollout steps must be in increasing order' });
    if (steps && steps.at(-1) !== 100) problems.push({ segments, message: 'the last rollout step must be 100' });
  };
  checkSteps(topSteps, ['rolloutSteps']);

  const routes = isRecord && Array.isArray(policy.routes) ? policy.routes : [];
  const valid = routes.map((_, i) => schemaValid(`/routes/${i}`));
  const names = new Map<string, number>();
  routes.forEach((route, i) => {
    if (!valid[i]) return;
    const at = ['routes', i];
    const seen = names.get(route.name);
    if (seen !== undefined)
      problems.push({
        segments: [...at, 'name'],
        message: `route name "${route.name}" is already used by routes[${seen}]`,
      });
    names.set(route.name, i);
    const patternIssue = pathPatternProblem(route.match.path);
    if (patternIssue) problems.push({ segments: [...at, 'match', 'path'], message: `path pattern ${patternIssue}` });
    checkSteps(route.rolloutSteps, [...at, 'rolloutSteps']);
    // Weights are judged against steps only when the steps they depend on passed the schema.
    const steps = route.rolloutSteps ?? (topStepsUsable ? (topSteps ?? DEFAULT_ROLLOUT_STEPS) : undefined);
    if (steps && route.currentWeight !== 0 && !steps.includes(route.currentWeight))
      problems.push({
        segments: [...at, 'currentWeight'],
        message: `current weight ${route.currentWeight} is neither 0 nor a rollout step (${steps.join(', ')})`,
      });
    if (route.requestedWeight !== undefined) {
      if (steps && route.requestedWeight !== 0 && !steps.includes(route.requestedWeight))
        problems.push({
          segments: [...at, 'requestedWeight'],
          message: `requested weight ${route.requestedWeight} is not a rollout step (${steps.join(', ')})`,
        });
      if (route.requestedWeight < route.currentWeight)
        problems.push({
          segments: [...at, 'requestedWeight'],
          message: `requested weight ${route.requestedWeight} is below the current weight ${route.currentWeight}; the gate only moves traffic forward (roll back by editing currentWeight)`,
        });
    }
    for (let j = 0; j < i; j++) {
      if (!valid[j]) continue;
      const other = routes[j]!;
      const sharedMethods = route.match.methods.filter((m) => other.match.methods.includes(m));
      if (sharedMethods.length > 0 && !patternIssue && patternsOverlap(route.match.path, other.match.path))
        problems.push({
          segments: [...at, 'match', 'path'],
          message: `route "${route.name}" (${route.match.methods.join(',')} ${route.match.path}) overlaps route "${other.name}" (${other.match.methods.join(',')} ${other.match.path}) for ${sharedMethods.join(',')}; a request must belong to one route`,
        });
    }
  });
  if (problems.length > 0) fail(problems);

  return {
    source,
    ...(policy.provider !== undefined ? { provider: policy.provider } : {}),
    candidate: {
      service: policy.candidate.service,
      upstream: policy.candidate.upstream ?? upstreamName(policy.candidate.service),
    },
    monolith: { upstream: policy.monolith?.upstream ?? 'monolith' },
    routes: policy.routes.map((route) => ({
      name: route.name,
      methods: [...route.match.methods],
      path: route.match.path,
      currentWeight: route.currentWeight,
      requestedWeight: route.requestedWeight ?? 100,
      rolloutSteps: [...(route.rolloutSteps ?? policy.rolloutSteps ?? DEFAULT_ROLLOUT_STEPS)],
      rules: mergeRules(policy.defaults, route.rules),
    })),
  };
}

/**
 * Reads and validates a policy file.
 *
 * @example
 * const policy = await loadPolicy('contracts/cutover.yaml');
 * policy.routes[0].path // '/api/tracking/**'
 */
export async function loadPolicy(file: string): Promise<Policy> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`${file}: cannot read the policy file: ${(error as Error).message}`, {
      cause: error,
      details: { file },
    });
  }
  return parsePolicy(text, file);
}

/**
 * Keeps only the named routes; naming a route the policy does not have is an error.
 */
export function selectRoutes(policy: Policy, names: string[]): Policy {
  if (names.length === 0) return policy;
  const known = new Set(policy.routes.map((r) => r.name));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0)
    throw new ConfigError(
      `${policy.source}: unknown route${unknown.length === 1 ? '' : 's'} ${unknown.map((n) => `"${n}"`).join(', ')}; the policy defines ${[...known].map((n) => `"${n}"`).join(', ')}`,
      { details: { file: policy.source, unknown } },
    );
  return { ...policy, routes: policy.routes.filter((r) => names.includes(r.name)) };
}
