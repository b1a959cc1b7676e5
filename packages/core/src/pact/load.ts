import { readFile } from 'node:fs/promises';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { PactLoadError, UnsupportedSpecError, isCutoverError } from '../errors.js';
import type {
  HttpInteraction,
  Interaction,
  InteractionProblem,
  MessageInteraction,
  Pact,
  ProviderState,
  SpecMajor,
} from '../model.js';
import { describeValue } from '../matching/mismatch.js';
import { normalizeRequest, normalizeResponse } from './http.js';

export interface LoadPactOptions {
  /**
   * Keep going past interactions that cannot be read: they are listed in `pact.problems` and the
   * rest of the pact stays usable. Without it, any bad interaction fails the whole load.
   */
  lenient?: boolean;
  /** Where the pact came from (file path or URL), used in error messages. */
  source?: string;
}

/**
 * Loads a pact of spec v2, v3 or v4 into the internal model.
 *
 * @param input a file path, the pact's JSON text, or an already parsed object
 * @example
 * const pact = await loadPact('contracts/pacts/web-app-logistics.json');
 * for (const i of pact.interactions) if (i.replayable) console.log(i.request.method, i.request.path);
 */
export async function loadPact(input: string | object, options: LoadPactOptions = {}): Promise<Pact> {
  if (typeof input !== 'string' || looksLikeJsonText(input)) return parsePact(input, options);
  let text: string;
  try {
    text = await readFile(input, 'utf8');
  } catch (cause) {
    const reason = (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (cause as Error).message;
    throw new PactLoadError(`Cannot read pact file ${input}: ${reason}`, { cause, details: { source: input } });
  }
  return parsePact(text, { ...options, source: options.source ?? input });
}

/**
 * Like {@link loadPact} for JSON text or a parsed object, synchronously and without touching the disk.
 *
 * @example
 * const pact = parsePact(await response.text(), { source: pactUrl });
 */
export function parsePact(input: string | object, options: LoadPactOptions = {}): Pact {
  const source = options.source ?? '<inline pact>';
  const doc = typeof input === 'string' ? parseJson(input, source) : input;
  const at = new Locator(source);
  if (!isRecord(doc)) throw at.error('$', 'a JSON object (the pact)', doc);

  const consumer = pacticipant(doc, 'consumer', at);
  const provider = pacticipant(doc, 'provider', at);
  const metadata = isRecord(doc.metadata) ? doc.metadata : {};
  const { specMajor, specVersion } = detectSpec(doc, metadata, at);

  const interactions: Interaction[] = [];
  const problems: InteractionProblem[] = [];
  const lists: Array<['interactions' | 'messages', unknown]> = [
    ['interactions', doc.interactions],
    ['messages', doc.messages],
  ];
  if (doc.interactions === undefined && doc.messages === undefined) {
    throw at.error('$.interactions', 'an array of interactions', undefined);
  }
  for (const [key, list] of lists) {
    if (list === undefined) continue;
    if (!Array.isArray(list)) throw at.error(`$.${key}`, 'an array of interactions', list);
    list.forEach((raw, index) => {
      const jsonPath = `$.${key}[${index}]`;
      try {
        interactions.push(
          key === 'messages'
            ? messageInteraction(raw, interactions.length, 'async-message', jsonPath, at)
            : interaction(raw, interactions.length, specMajor, jsonPath, at),
        );
      } catch (error) {
        if (!isCutoverError(error)) throw error;
        const description = isRecord(raw) && typeof raw.description === 'string' ? raw.description : undefined;
        problems.push({
          index,
          ...(description === undefined ? {} : { description }),
          jsonPath: typeof error.details.jsonPath === 'string' ? error.details.jsonPath : jsonPath,
          message: error.message,
          // Tells a matching-rule or generator problem from a shape problem once aggregated.
          code: error.code,
        });
      }
    });
  }

  if (problems.length > 0 && !options.lenient) {
    const listed = problems.map((p) => `  - ${p.message}`).join('\n');
    throw new PactLoadError(
      `${source}: ${problems.length} of ${problems.length + interactions.length} interaction(s) cannot be loaded:\n${listed}`,
      { details: { source, problems } },
    );
  }

  return {
    consumer,
    provider,
    specMajor,
    specVersion,
    metadata,
    interactions,
    problems,
    ...(options.source === undefined && typeof input !== 'string' ? {} : { source }),
  };
}

function interaction(raw: unknown, index: number, spec: SpecMajor, jsonPath: string, at: Locator): Interaction {
  if (!isRecord(raw)) throw at.error(jsonPath, 'an interaction object', raw);
  const type = raw.type;
  if (type === 'Asynchronous/Messages') return messageInteraction(raw, index, 'async-message', jsonPath, at);
  if (type === 'Synchronous/Messages') return messageInteraction(raw, index, 'sync-message', jsonPath, at);
  if (type !== undefined && type !== 'Synchronous/HTTP') {
    throw at.error(
      `${jsonPath}.type`,
      'one of "Synchronous/HTTP", "Asynchronous/Messages", "Synchronous/Messages"',
      type,
    );
  }
  const base = interactionBase(raw, index, jsonPath, at);
  if (!isRecord(raw.request)) throw at.error(`${jsonPath}.request`, 'a request object', raw.request);
  if (!isRecord(raw.response)) throw at.error(`${jsonPath}.response`, 'a response object', raw.response);
  const where = (part: string) => ({ source: at.source, jsonPath: `${jsonPath}.${part}` });
  const result: HttpInteraction = {
    ...base,
    type: 'http',
    replayable: true,
    request: normalizeRequest(raw.request, spec, where('request')),
    response: normalizeResponse(raw.response, spec, where('response')),
  };
  return result;
}

function messageInteraction(
  raw: unknown,
  index: number,
  type: MessageInteraction['type'],
  jsonPath: string,
  at: Locator,
): MessageInteraction {
  if (!isRecord(raw)) throw at.error(jsonPath, 'a message interaction object', raw);
  return { ...interactionBase(raw, index, jsonPath, at), type, replayable: false, raw };
}

function interactionBase(raw: Record<string, unknown>, index: number, jsonPath: string, at: Locator) {
  if (typeof raw.description !== 'string' || raw.description.trim() === '') {
    throw at.error(`${jsonPath}.description`, 'a non-empty string describing the interaction', raw.description);
  }
  const base: {
    index: number;
    key?: string;
    description: string;
    providerStates: ProviderState[];
    pending: boolean;
    comments?: Record<string, unknown>;
  } = {
    index,
    description: raw.description,
    providerStates: providerStates(raw, jsonPath, at),
    pending: raw.pending === true,
  };
  if (typeof raw.key === 'string') base.key = raw.key;
  if (isRecord(raw.comments)) base.comments = raw.comments;
  return base;
}

function providerStates(raw: Record<string, unknown>, jsonPath: string, at: Locator): ProviderState[] {
  // v2 has a single `providerState` string; v3/v4 a `providerStates` array of { name, params }.
  if (raw.providerStates === undefined) {
    if (raw.providerState === undefined || raw.providerState === null || raw.providerState === '') return [];
    if (typeof raw.providerState !== 'string') {
      throw at.error(`${jsonPath}.providerState`, 'a string naming the provider state', raw.providerState);
    }
    return [{ name: raw.providerState, params: {} }];
  }
  if (!Array.isArray(raw.providerStates)) {
    throw at.error(`${jsonPath}.providerStates`, 'an array of { name, params }', raw.providerStates);
  }
  return raw.providerStates.map((state, i) => {
    const path = `${jsonPath}.providerStates[${i}]`;
    if (typeof state === 'string') return { name: state, params: {} };
    if (!isRecord(state) || typeof state.name !== 'string')
      throw at.error(path, 'an object with a string "name"', state);
    if (state.params !== undefined && state.params !== null && !isRecord(state.params)) {
      throw at.error(`${path}.params`, 'an object of parameters', state.params);
    }
    return { name: state.name, params: isRecord(state.params) ? state.params : {} };
  });
}

function pacticipant(doc: Record<string, unknown>, key: 'consumer' | 'provider', at: Locator) {
  const value = doc[key];
  if (!isRecord(value) || typeof value.name !== 'string' || value.name.trim() === '') {
    throw at.error(`$.${key}.name`, `the ${key}'s name as a non-empty string`, isRecord(value) ? value.name : value);
  }
  return { name: value.name };
}

/**
 * The version is read from the metadata key each generation of Pact tools wrote; a pact without
 * one is judged by its shape (v4 interaction types, v2-style `$.body` rule keys), else taken as v3.
 */
function detectSpec(
  doc: Record<string, unknown>,
  metadata: Record<string, unknown>,
  at: Locator,
): { specMajor: SpecMajor; specVersion: string } {
  const candidates: Array<[string, unknown]> = [
    ['$.metadata.pactSpecification.version', versionOf(metadata.pactSpecification)],
    ["$.metadata['pact-specification'].version", versionOf(metadata['pact-specification'])],
    ['$.metadata.pactSpecificationVersion', metadata.pactSpecificationVersion],
  ];
  const found = candidates.find((c): c is [string, string] => typeof c[1] === 'string');
  if (found !== undefined) {
    const [jsonPath, declared] = found;
    const major = Number.parseInt(declared, 10);
    if (major === 1 || major === 2) return { specMajor: 2, specVersion: declared };
    if (major === 3 || major === 4) return { specMajor: major, specVersion: declared };
    const expected = 'a pact specification version cutover reads (1 to 4)';
    throw new UnsupportedSpecError(`${at.source}: ${jsonPath}: expected ${expected}, got ${describeValue(declared)}`, {
      details: { source: at.source, jsonPath, expected },
    });
  }
  const list = Array.isArray(doc.interactions) ? doc.interactions : [];
  if (list.some((i) => isRecord(i) && typeof i.type === 'string')) return { specMajor: 4, specVersion: '4.0' };
  const flatRules = list.some(
    (i) =>
      isRecord(i) &&
      [i.request, i.response].some(
        (part) =>
          isRecord(part) &&
          isRecord(part.matchingRules) &&
          Object.keys(part.matchingRules).some((k) => k.startsWith('$')),
      ),
  );
  return flatRules ? { specMajor: 2, specVersion: '2.0.0' } : { specMajor: 3, specVersion: '3.0.0' };
}

function versionOf(value: unknown): string | undefined {
  return isRecord(value) && typeof value.version === 'string' ? value.version : undefined;
}

function parseJson(input: string, source: string): unknown {
  // Editors on Windows save JSON with a byte-order mark, which JSON.parse refuses.
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  try {
    return JSON.parse(text);
  } catch (cause) {
    // JSON.parse no longer says where it failed; a tolerant parser finds the offset of the first error.
    const errors: ParseError[] = [];
    parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false });
    const first = errors[0];
    let where = '';
    if (first !== undefined) {
      const before = text.slice(0, first.offset);
      const line = before.split('\n').length;
      const column = before.length - before.lastIndexOf('\n');
      where = ` at line ${line}, column ${column} (${printParseErrorCode(first.error)})`;
    }
    throw new PactLoadError(`${source} is not valid JSON${where}: ${(cause as Error).message}`, {
      cause,
      details: { source },
    });
  }
}

function looksLikeJsonText(input: string): boolean {
  const first = input.replace(/^\uFEFF/, '').trimStart()[0];
  return first === '{' || first === '[';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Builds errors that name the pact's source and the JSON path of the offending value. */
class Locator {
  constructor(readonly source: string) {}

  error(jsonPath: string, expected: string, actual: unknown): PactLoadError {
    return new PactLoadError(`${this.source}: ${jsonPath}: expected ${expected}, got ${describeValue(actual)}`, {
      details: { source: this.source, jsonPath, expected },
    });
  }
}
