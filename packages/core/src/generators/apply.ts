import type { GeneratorDefinition, HttpBody, HttpRequest } from '../model.js';
import { pathMatches } from '../matching/path.js';
import { generateValue, type GeneratorContext } from './generate.js';

/**
 * Returns a copy of `request` with its generators applied, as a provider-side verifier does before
 * replaying it: path, query, header and JSON body values are replaced by generated ones. The input
 * is never mutated.
 *
 * @example
 * const replayed = applyGenerators(interaction.request, { providerState: { shipmentId: 'SHP-9' } });
 */
export function applyGenerators(request: HttpRequest, context: GeneratorContext = {}): HttpRequest {
  const generators = request.generators;
  const categories = Object.keys(generators).filter((c) => Object.keys(generators[c] ?? {}).length > 0);
  if (categories.length === 0) return request;

  const next: HttpRequest = { ...request };
  const pathGenerator = generators.path?.[''];
  if (pathGenerator) next.path = String(generateValue(pathGenerator, request.path, context));

  if (generators.query) next.query = applyToMultiMap(request.query, generators.query, context);
  if (generators.header) next.headers = applyToMultiMap(request.headers, generators.header, context, true);
  if (generators.body && request.body.kind === 'present')
    next.body = applyToBody(request.body, generators.body, context);
  return next;
}

function applyToMultiMap(
  values: Record<string, string[]>,
  generators: Record<string, GeneratorDefinition>,
  context: GeneratorContext,
  caseInsensitive = false,
): Record<string, string[]> {
  const out: Record<string, string[]> = { ...values };
  for (const [name, def] of Object.entries(generators)) {
    const key = caseInsensitive ? (Object.keys(out).find((k) => k.toLowerCase() === name.toLowerCase()) ?? name) : name;
    const current = out[key] ?? [''];
    out[key] = current.map((value) => String(generateValue(def, value, context)));
  }
  return out;
}

function applyToBody(
  body: Extract<HttpBody, { kind: 'present' }>,
  generators: Record<string, GeneratorDefinition>,
  context: GeneratorContext,
): HttpBody {
  const entries = Object.entries(generators);
  // Only structured (JSON) content has addressable places; text bodies accept a generator at `$`.
  if (typeof body.content !== 'object' || body.content === null || body.encoded) {
    const whole = entries.find(([path]) => path === '$' || path === '');
    return whole ? { ...body, content: generateValue(whole[1], body.content, context) } : body;
  }
  const content = transform(body.content, [], entries, context);
  return { ...body, content };
}

function transform(
  value: unknown,
  path: Array<string | number>,
  generators: Array<[string, GeneratorDefinition]>,
  context: GeneratorContext,
): unknown {
  const here = generators.find(([expression]) => pathMatches(normalizeBodyPath(expression), path));
  if (here) return generateValue(here[1], value, context);
  if (Array.isArray(value)) return value.map((item, i) => transform(item, [...path, i], generators, context));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, transform(v, [...path, k], generators, context)]),
    );
  }
  return value;
}

/** v2-era pacts and some tools write body paths without the leading `$`. */
function normalizeBodyPath(expression: string): string {
  if (expression.startsWith('$')) return expression;
  return expression.startsWith('[') ? `$${expression}` : `$.${expression}`;
}
