import { readFile } from 'node:fs/promises';
import type * as Jsonc from 'jsonc-parser';
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
import { keepNumberLiterals } from '../matching/body/numbers.js';
import { describeValue } from '../matching/mismatch.js';
import { normalizeRequest, normalizeResponse } from './http.js';
import { scanPact } from './scan.js';
import { isObject } from '../values.js';
import { lazyRequire } from '../lazy-require.js';

/** Only a pact that is not valid JSON needs the tolerant parser (to say where it breaks). */
const jsonc = lazyRequire<typeof Jsonc>('jsonc-parser');

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
  const interactions: Interaction[] = [];
  const { problems, ...header } = readPact(doc, undefined, source, options, (interaction) =>
    interactions.push(interaction),
  );
  return withSource({ ...header, interactions, problems }, input, options);
}

/** Options of {@link openPact}. */
export interface OpenPactOptions extends LoadPactOptions {
  /** Sees every interaction once, as it is checked, e.g. to pick the ones a run will use. */
  onInteraction?: (interaction: Interaction, pact: PactHeader) => void;
}

/** A pact's own fields, known before its interactions are read. */
export type PactHeader = Pick<Pact, 'consumer' | 'provider' | 'specMajor' | 'specVersion' | 'metadata' | 'source'>;

/**
 * A pact kept as its JSON bytes, whose interactions are built into the model one at a time, on
 * request: a long pact costs its bytes (outside the JavaScript heap), not the model of every
 * interaction at once.
 */
export interface PactStream extends Omit<Pact, 'interactions'> {
  /** How many interactions loaded (HTTP and messages); problems of a lenient load are not counted. */
  readonly size: number;
  /** Builds interaction `index` (0 ≤ index < size) afresh, as `parsePact(...).interactions[index]`. */
  interaction(index: number): Interaction;
  /** Forgets interaction `index`: reading it again throws; once all are released the bytes go too. */
  release(index: number): void;
}

/**
 * Checks a whole pact as {@link parsePact} does (same errors, same `lenient` behaviour) but keeps
 * its bytes instead of its model; the interactions are located, not kept parsed. For pacts of tens
 * of thousands of interactions, where the model of all of them at once is what fills memory.
 *
 * @param input the pact's bytes (as read from a file), its JSON text, or a parsed object
 * @example
 * const pact = openPact(await readFile(file), { source: file });
 * for (let i = 0; i < pact.size; i++) {
 *   const interaction = pact.interaction(i);
 *   pact.release(i);
 *   // ...replay it
 * }
 */
export function openPact(input: Uint8Array | string | object, options: OpenPactOptions = {}): PactStream {
  const source = options.source ?? '<inline pact>';
  // Held in a variable the closures below share, so releasing every interaction lets the bytes go.
  let bytes: Buffer | undefined =
    typeof input === 'string'
      ? Buffer.from(input, 'utf8')
      : input instanceof Uint8Array
        ? Buffer.from(input.buffer, input.byteOffset, input.byteLength)
        : Buffer.from(JSON.stringify(input), 'utf8');
  // A broken document is parsed whole, for the error that says where it breaks.
  const whole = (): never => {
    parseJson(bytes!.toString('utf8'), source);
    throw new PactLoadError(`${source}: the pact could not be laid out although it parses as JSON`, {
      details: { source },
    });
  };
  const layout = scanPact(bytes);
  let doc: unknown;
  let lists: LaidOutLists | undefined;
  if (layout) {
    try {
      doc = JSON.parse(layout.header);
    } catch {
      whole();
    }
    lists = {};
    for (const [key, { starts, ends }] of layout.lists) {
      if (key !== 'interactions' && key !== 'messages') continue;
      lists[key] = {
        length: starts.length,
        element(index) {
          const text = bytes!.toString('utf8', starts[index], ends[index]);
          let value: unknown;
          try {
            value = JSON.parse(text);
          } catch {
            return whole();
          }
          // A body number JSON.parse changes (`1e400`, a 17-digit id) is compared and reported as written.
          keepNumberLiterals(text, value);
          return value;
        },
      };
    }
  } else doc = parseJson(bytes.toString('utf8'), source);

  const keys: InteractionList[] = [];
  const rawIndexes: number[] = [];
  let header: ReturnType<typeof readPact>;
  try {
    header = readPact(doc, lists, source, options, (interaction, key, rawIndex, pact) => {
      keys.push(key);
      rawIndexes.push(rawIndex);
      options.onInteraction?.(interaction, pact);
    });
  } catch (error) {
    // Broken JSON comes first, as with parsePact, even when the header is wrong as well.
    if (lists) parseJson(bytes.toString('utf8'), source);
    throw error;
  }
  const arrays = doc as Record<InteractionList, unknown[]>;
  let from: LaidOutLists | undefined = lists ?? {
    interactions: arrayList(arrays.interactions),
    messages: arrayList(arrays.messages),
  };
  const released = new Uint8Array(keys.length);
  let remaining = keys.length;
  const at = new Locator(source);
  const pact: PactStream = withSource(
    {
      ...header,
      size: keys.length,
      interaction(index: number): Interaction {
        if (!(index >= 0 && index < keys.length) || !Number.isInteger(index)) {
          throw new RangeError(`${source}: no interaction ${index} (the pact has ${keys.length})`);
        }
        if (released[index] || from === undefined) throw new RangeError(`${source}: interaction ${index} was released`);
        const key = keys[index]!;
        const rawIndex = rawIndexes[index]!;
        const raw = from[key]!.element(rawIndex);
        return readInteraction(raw, key, index, header.specMajor, `$.${key}[${rawIndex}]`, at);
      },
      release(index: number): void {
        if (!Number.isInteger(index) || !(index >= 0 && index < keys.length) || released[index]) return;
        released[index] = 1;
        if (--remaining === 0) {
          from = undefined;
          bytes = undefined;
        }
      },
    },
    input,
    options,
  );
  return pact;
}

type InteractionList = 'interactions' | 'messages';

/** An interaction list: its length and each raw element, parsed on request when laid out from bytes. */
interface RawList {
  length: number;
  element(index: number): unknown;
}

type LaidOutLists = Partial<Record<InteractionList, RawList>>;

function arrayList(value: unknown): RawList | undefined {
  return Array.isArray(value) ? { length: value.length, element: (index) => value[index] as unknown } : undefined;
}

function withSource<T extends { source?: string }>(pact: T, input: unknown, options: LoadPactOptions): T {
  // A pact read from an object with no source named has no source to report.
  if (options.source === undefined && typeof input !== 'string' && !(input instanceof Uint8Array)) delete pact.source;
  return pact;
}

/**
 * Reads a pact's header and checks every interaction, handing each one that loads to `visit`;
 * throws on problems unless `lenient`. `laidOut` holds the lists when they were located in the
 * pact's bytes rather than parsed with it.
 */
function readPact(
  doc: unknown,
  laidOut: LaidOutLists | undefined,
  source: string,
  options: LoadPactOptions,
  visit: (interaction: Interaction, key: InteractionList, rawIndex: number, pact: PactHeader) => void,
): Omit<Pact, 'interactions'> & { source: string } {
  const at = new Locator(source);
  if (!isObject(doc)) throw at.error('$', 'a JSON object (the pact)', doc);
  const listOf = (key: InteractionList) =>
    Array.isArray(doc[key]) ? (laidOut?.[key] ?? arrayList(doc[key])) : undefined;

  const consumer = pacticipant(doc, 'consumer', at);
  const provider = pacticipant(doc, 'provider', at);
  const metadata = isObject(doc.metadata) ? doc.metadata : {};
  const { specMajor, specVersion } = detectSpec(listOf('interactions'), metadata, at);
  const header: PactHeader = { consumer, provider, specMajor, specVersion, metadata, source };

  if (doc.interactions === undefined && doc.messages === undefined) {
    throw at.error('$.interactions', 'an array of interactions', undefined);
  }
  const lists: Array<[InteractionList, RawList | undefined]> = [];
  for (const key of ['interactions', 'messages'] as const) {
    if (doc[key] === undefined) continue;
    if (!Array.isArray(doc[key])) throw at.error(`$.${key}`, 'an array of interactions', doc[key]);
    lists.push([key, listOf(key)]);
  }

  let loaded = 0;
  const problems: InteractionProblem[] = [];
  for (const [key, list] of lists) {
    for (let index = 0; index < (list?.length ?? 0); index++) {
      const raw = list!.element(index);
      const jsonPath = `$.${key}[${index}]`;
      let read: Interaction;
      try {
        read = readInteraction(raw, key, loaded, specMajor, jsonPath, at);
      } catch (error) {
        if (!isCutoverError(error)) throw error;
        const description = isObject(raw) && typeof raw.description === 'string' ? raw.description : undefined;
        problems.push({
          index,
          ...(description === undefined ? {} : { description }),
          jsonPath: typeof error.details.jsonPath === 'string' ? error.details.jsonPath : jsonPath,
          message: error.message,
          // Tells a matching-rule or generator problem from a shape problem once aggregated.
          code: error.code,
        });
        continue;
      }
      loaded++;
      visit(read, key, index, header);
    }
  }

  if (problems.length > 0 && !options.lenient) {
    const listed = problems.map((p) => `  - ${p.message}`).join('\n');
    throw new PactLoadError(
      `${source}: ${problems.length} of ${problems.length + loaded} interaction(s) cannot be loaded:\n${listed}`,
      { details: { source, problems } },
    );
  }

  return { ...header, problems, source };
}

function readInteraction(
  raw: unknown,
  key: InteractionList,
  index: number,
  spec: SpecMajor,
  jsonPath: string,
  at: Locator,
): Interaction {
  return key === 'messages'
    ? messageInteraction(raw, index, 'async-message', jsonPath, at)
    : interaction(raw, index, spec, jsonPath, at);
}

function interaction(raw: unknown, index: number, spec: SpecMajor, jsonPath: string, at: Locator): Interaction {
  if (!isObject(raw)) throw at.error(jsonPath, 'an interaction object', raw);
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
  if (!isObject(raw.request)) throw at.error(`${jsonPath}.request`, 'a request object', raw.request);
  if (!isObject(raw.response)) throw at.error(`${jsonPath}.response`, 'a response object', raw.response);
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
  if (!isObject(raw)) throw at.error(jsonPath, 'a message interaction object', raw);
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
  if (isObject(raw.comments)) base.comments = raw.comments;
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
    if (!isObject(state) || typeof state.name !== 'string')
      throw at.error(path, 'an object with a string "name"', state);
    if (state.params !== undefined && state.params !== null && !isObject(state.params)) {
      throw at.error(`${path}.params`, 'an object of parameters', state.params);
    }
    return { name: state.name, params: isObject(state.params) ? state.params : {} };
  });
}

function pacticipant(doc: Record<string, unknown>, key: 'consumer' | 'provider', at: Locator) {
  const value = doc[key];
  if (!isObject(value) || typeof value.name !== 'string' || value.name.trim() === '') {
    throw at.error(`$.${key}.name`, `the ${key}'s name as a non-empty string`, isObject(value) ? value.name : value);
  }
  return { name: value.name };
}

/**
 * The version is read from the metadata key each generation of Pact tools wrote; a pact without
 * one is judged by its shape (v4 interaction types, v2-style `$.body` rule keys), else taken as v3.
 */
function detectSpec(
  interactions: RawList | undefined,
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
  // Only a pact that does not say its version pays for reading its interactions here.
  const list = Array.from({ length: interactions?.length ?? 0 }, (_, index) => interactions!.element(index));
  if (list.some((i) => isObject(i) && typeof i.type === 'string')) return { specMajor: 4, specVersion: '4.0' };
  const flatRules = list.some(
    (i) =>
      isObject(i) &&
      [i.request, i.response].some(
        (part) =>
          isObject(part) &&
          isObject(part.matchingRules) &&
          Object.keys(part.matchingRules).some((k) => k.startsWith('$')),
      ),
  );
  return flatRules ? { specMajor: 2, specVersion: '2.0.0' } : { specMajor: 3, specVersion: '3.0.0' };
}

function versionOf(value: unknown): string | undefined {
  return isObject(value) && typeof value.version === 'string' ? value.version : undefined;
}

function parseJson(input: string, source: string): unknown {
  // Editors on Windows save JSON with a byte-order mark, which JSON.parse refuses.
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  try {
    const value: unknown = JSON.parse(text);
    keepNumberLiterals(text, value);
    return value;
  } catch (cause) {
    // JSON.parse no longer says where it failed; a tolerant parser finds the offset of the first error.
    const { parse: parseJsonc, printParseErrorCode } = jsonc();
    const errors: Jsonc.ParseError[] = [];
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

/** Builds errors that name the pact's source and the JSON path of the offending value. */
class Locator {
  constructor(readonly source: string) {}

  error(jsonPath: string, expected: string, actual: unknown): PactLoadError {
    return new PactLoadError(`${this.source}: ${jsonPath}: expected ${expected}, got ${describeValue(actual)}`, {
      details: { source: this.source, jsonPath, expected },
    });
  }
}
