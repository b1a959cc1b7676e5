import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve as resolvePath } from 'node:path';
import type SwaggerParser from '@apidevtools/swagger-parser';
import {
  appendPointer,
  ErrorCodes,
  escapePointerToken,
  formatPointer,
  getAtPointer,
  isObject,
  type JsonObject,
  OpenApiError,
  parseYaml,
  refToPointer,
  splitPointer,
} from '@cutover/core';
import { checkMetaSchema, type MetaSchemaError } from './meta-schema.js';
import { RefGuard, type RefPolicy } from './refs.js';
import { fetchText } from './remote.js';

export interface LoadOpenApiOptions {
  /** Check the document against the OpenAPI 3.0/3.1 schema while loading (default `true`). */
  validate?: boolean;
  /** Directory that relative `$ref`s resolve against when `source` is text or an object (default: cwd). */
  baseDir?: string;
  /** Name used in messages when `source` is text or an object (default `<inline document>`). */
  sourceName?: string;
  /**
   * Base path every operation is served under, replacing the one the document's `servers` give
   * (e.g. `/api` when the gateway adds a prefix the document does not know about). Read like a
   * server URL: `api` and `api/` mean `/api`.
   */
  basePath?: string;
  /** How long fetching a document or a remote `$ref` from a URL may take, in ms (default 30,000). */
  timeoutMs?: number;
  /**
   * The folder `$ref`s to local files must stay in (default: the document's own folder, or
   * `baseDir` for text and objects; relative to `baseDir`). Whatever the root, special files
   * (devices, FIFOs, sockets, `/proc`, `/sys`) and symbolic links leading out of it are refused,
   * and a document fetched from a URL may not reference local files at all.
   */
  refRoot?: string;
  /**
   * Let `$ref`s fetch http(s) URLs (default `false`, `true` when the document itself is a URL).
   * Loopback, private, link-local and other non-public addresses are refused either way, every
   * address a host resolves to and every redirect checked, except on the origin of a document the
   * caller named by URL.
   */
  allowRemoteRefs?: boolean;
}

/** A document read, bundled (every `$ref` local) and checked: what {@link loadOpenApi} indexes. */
export interface ReadOpenApi {
  document: JsonObject;
  /** File, URL or name the document came from, as messages call it. */
  source: string;
}

/**
 * Reads an OpenAPI 3.0 or 3.1 document (YAML or JSON; a file path, a URL, the text, or a parsed
 * object), bundles multi-file `$ref`s into one document and checks it. Swagger 2.0 is refused.
 * `loadOpenApi` (schemas, validation) and `loadOpenApiOperations` (operations only, no schema
 * engine) both start here.
 *
 * @throws OpenApiError (`CUTOVER_OPENAPI_INVALID`) naming the file and JSON pointer at fault.
 */
export async function readOpenApi(source: string | object, options: LoadOpenApiOptions = {}): Promise<ReadOpenApi> {
  const input = await readInput(source, options);
  if (!isObject(input.raw))
    throw new OpenApiError(`${input.label}: an OpenAPI document must be an object, found ${typeof input.raw}`, {
      details: { source: input.label },
    });
  checkVersion(input.raw, input.label);
  let bundled: JsonObject;
  if (!hasExternalRefs(input.raw)) {
    // Text we parsed ourselves is ours; a caller's object is copied so it is never modified.
    bundled = typeof source === 'string' ? input.raw : structuredClone(input.raw);
    if (options.validate !== false) await checkRefs(bundled, input.label);
  } else {
    const guard = new RefGuard(input.refs, input.raw);
    try {
      bundled = (await new (await loadSwaggerParser())().bundle(
        input.location,
        structuredClone(input.raw) as never,
        guard.options(),
      )) as unknown as JsonObject;
    } catch (error) {
      throw guard.failure ?? (await bundleError(error, input));
    }
  }
  if (options.validate !== false) await validateDocument(bundled, input);
  return { document: bundled, source: input.label };
}

interface Input {
  /** Parsed root document, never handed to the parser itself (it mutates what it is given). */
  raw: unknown;
  /** Absolute file path or URL relative `$ref`s resolve against. */
  location: string;
  /** What messages call the document. */
  label: string;
  /** Where its `$ref`s may lead. */
  refs: RefPolicy;
}

async function readInput(source: string | object, options: LoadOpenApiOptions): Promise<Input> {
  const baseDir = options.baseDir ?? process.cwd();
  const timeoutMs = options.timeoutMs ?? 30_000;
  const local = (location: string, label: string, folder: string): Pick<Input, 'location' | 'label' | 'refs'> => ({
    location,
    label,
    refs: {
      label,
      location,
      root: options.refRoot === undefined ? folder : resolvePath(baseDir, options.refRoot),
      allowRemote: options.allowRemoteRefs ?? false,
      timeoutMs,
    },
  });
  if (typeof source !== 'string') {
    const label = options.sourceName ?? '<inline document>';
    return { raw: source, ...local(join(baseDir, 'openapi.inline.json'), label, baseDir) };
  }
  const looksLikeText = /^\s*[{[]/.test(source) || source.includes('\n');
  if (looksLikeText) {
    const label = options.sourceName ?? '<inline document>';
    return { raw: parseText(source, label), ...local(join(baseDir, 'openapi.inline.yaml'), label, baseDir) };
  }
  if (/^https?:\/\//i.test(source)) {
    const origin = new URL(source).origin;
    let text: string;
    try {
      // The user named this URL, so its origin may be internal (a service serving its own document).
      text = (await fetchText(source, { trustedOrigin: origin, timeoutMs })).text;
    } catch (error) {
      throw new OpenApiError(`${source}: cannot fetch the OpenAPI document: ${(error as Error).message}`, {
        cause: error,
        details: { source },
      });
    }
    return {
      raw: parseText(text, source),
      location: source,
      label: source,
      refs: {
        label: source,
        location: source,
        allowRemote: options.allowRemoteRefs ?? true,
        trustedOrigin: origin,
        timeoutMs,
      },
    };
  }
  const file = isAbsolute(source) ? source : resolvePath(baseDir, source);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new OpenApiError(`${source}: cannot read the OpenAPI document: ${(error as Error).message}`, {
      cause: error,
      details: { source },
    });
  }
  return { raw: parseText(text, source), ...local(file, source, dirname(file)) };
}

/** YAML through core's guarded reader; its error rethrown with this package's `details.source`. */
function parseText(text: string, label: string): unknown {
  try {
    return parseYaml(text, { source: label, what: 'the OpenAPI document', code: ErrorCodes.OPENAPI_INVALID });
  } catch (error) {
    const { file: _file, ...rest } = (error as OpenApiError).details;
    throw new OpenApiError((error as Error).message, { cause: error, details: { source: label, ...rest } });
  }
}

/** True when some `$ref` points outside the document: only then is bundling (which is slow on large documents) needed. */
function hasExternalRefs(value: unknown): boolean {
  const stack = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) stack.push(...node);
    else if (isObject(node)) {
      if (typeof node.$ref === 'string' && !node.$ref.startsWith('#')) return true;
      for (const key in node) stack.push(node[key]);
    }
  }
  return false;
}

/** Local `$ref`s that point to nothing, reported with where the `$ref` is and what it points to. */
async function checkRefs(document: JsonObject, label: string): Promise<void> {
  const stack: { node: unknown; at: string }[] = [{ node: document, at: '' }];
  while (stack.length > 0) {
    const { node, at } = stack.pop()!;
    if (Array.isArray(node)) node.forEach((child, i) => stack.push({ node: child, at: appendPointer(at, i) }));
    else if (isObject(node)) {
      if (typeof node.$ref === 'string') {
        const target = refToPointer(node.$ref);
        if (target !== undefined && getAtPointer(document, target) === undefined) {
          throw danglingRef(label, at, node.$ref);
        }
      }
      for (const key in node) stack.push({ node: node[key], at: appendPointer(at, key) });
    }
  }
}

/** `details`: `source` (the file holding the `$ref`), `pointer` (the `$ref`'s place in it), `ref` (as written). */
function danglingRef(file: string, pointer: string, ref: string, options: { cause?: unknown; root?: string } = {}) {
  const where =
    options.root === undefined || options.root === file ? file : `${file} (referenced from ${options.root})`;
  return new OpenApiError(`${where}: the $ref at ${formatPointer(pointer)} points to ${ref}, which does not exist`, {
    ...(options.cause === undefined ? {} : { cause: options.cause }),
    details: { source: file, pointer, ref },
  });
}

/**
 * The bundler names the missing target and the `$ref`'s place in the logical (bundled) document
 * (`parentPath`); the user needs the file that holds the `$ref` and its pointer there.
 */
async function bundleError(error: unknown, input: Input): Promise<OpenApiError> {
  const e = error as { code?: unknown; parentPath?: unknown };
  if (e.code === 'EMISSINGPOINTER' && typeof e.parentPath === 'string') {
    const at = refToPointer(e.parentPath);
    const found = at === undefined ? undefined : await locate(input, at);
    if (found && isObject(found.value) && typeof found.value.$ref === 'string') {
      return danglingRef(found.file, found.pointer, found.value.$ref, { cause: error, root: input.label });
    }
  }
  return parserError(error, input.label);
}

function checkVersion(document: JsonObject, label: string): void {
  if (document.swagger !== undefined) {
    throw new OpenApiError(
      `${label}: Swagger ${String(document.swagger)} documents are not supported; convert it to OpenAPI 3 first ` +
        '(for example with `npx swagger2openapi`).',
      { details: { source: label, pointer: '/swagger' } },
    );
  }
  if (typeof document.openapi !== 'string' || !/^3\.[01]\./.test(document.openapi)) {
    throw new OpenApiError(
      `${label}: "openapi" must be a 3.0.x or 3.1.x version string, found ${JSON.stringify(document.openapi)}`,
      {
        details: { source: label, pointer: '/openapi' },
      },
    );
  }
}

/** Errors from @apidevtools (unreadable file, YAML syntax, missing `$ref` target) carry the file in `source`. */
function parserError(error: unknown, label: string): OpenApiError {
  const e = error as { message?: string; source?: string; targetRef?: string; code?: string };
  const file = typeof e.source === 'string' && e.source !== '' ? e.source : label;
  const pointer = typeof e.targetRef === 'string' ? refToPointer('#' + (e.targetRef.split('#')[1] ?? '')) : undefined;
  const message = (e.message ?? String(error)).split('\n')[0];
  return new OpenApiError(`${file}: cannot load the OpenAPI document: ${message}`, {
    cause: error,
    details: { source: file, ...(pointer === undefined ? {} : { pointer }) },
  });
}

// swagger-parser's `validate()` dereferences the whole document first (seconds on a large one); the
// meta-schema check reads the bundled document as it is, since `$ref`s are allowed there. The
// parser is loaded on first use: a document without external `$ref`s never needs it, and commands
// that never load a document (start-up, `--help`) do not pay for it.
async function loadSwaggerParser(): Promise<typeof SwaggerParser> {
  return (await import('@apidevtools/swagger-parser')).default;
}

async function validateDocument(bundled: JsonObject, input: Input): Promise<void> {
  const details = await checkMetaSchema(bundled as JsonObject & { openapi: string });
  if (details.length === 0) return;
  const errors = pickErrors(details);
  const first = errors[0];
  const at = first ? await locate(input, first.instancePath) : { file: input.label, pointer: '' };
  const lines = errors.map((e) => `${formatPointer(e.instancePath)} ${describeSchemaError(e)}`);
  const where = at.file === input.label ? input.label : `${at.file} (referenced from ${input.label})`;
  throw new OpenApiError(`${where}: invalid OpenAPI document at ${formatPointer(at.pointer)}: ${lines.join('; ')}`, {
    details: { source: at.file, pointer: at.pointer, errors: lines },
  });
}

/** The meta-schema's oneOf/anyOf alternatives produce noise (`must have required property '$ref'`); keep the deepest real complaints. */
function pickErrors(errors: MetaSchemaError[]): MetaSchemaError[] {
  const useful = errors.filter(
    (e) => !['oneOf', 'anyOf', 'if', '$ref'].includes(e.keyword) && e.params?.missingProperty !== '$ref',
  );
  const pool = useful.length > 0 ? useful : errors;
  const depth = (e: MetaSchemaError): number => splitPointer(e.instancePath).length;
  const sorted = [...pool].sort((a, b) => depth(b) - depth(a));
  const seen = new Set<string>();
  const picked: MetaSchemaError[] = [];
  for (const e of sorted) {
    const key = e.instancePath + ' ' + describeSchemaError(e);
    if (seen.has(key)) continue;
    seen.add(key);
    picked.push(e);
    if (picked.length === 3) break;
  }
  return picked;
}

function describeSchemaError(e: MetaSchemaError): string {
  const extra = e.params?.additionalProperty;
  return typeof extra === 'string' ? `has an unknown property "${extra}"` : (e.message ?? e.keyword);
}

/**
 * Maps a pointer in the bundled document back to the file that holds the value, by walking the
 * unbundled files and following `$ref`s across them.
 */
async function locate(input: Input, pointer: string): Promise<{ file: string; pointer: string; value?: unknown }> {
  const fallback = { file: input.label, pointer };
  let refs: Awaited<ReturnType<SwaggerParser['resolve']>>;
  try {
    const guard = new RefGuard(input.refs, input.raw);
    refs = await new (await loadSwaggerParser())().resolve(
      input.location,
      structuredClone(input.raw) as never,
      guard.options(),
    );
  } catch {
    return fallback;
  }
  let file = input.location;
  let at = '';
  let value: unknown = input.raw;
  for (const token of splitPointer(pointer)) {
    for (let hops = 0; isObject(value) && typeof value.$ref === 'string' && hops < 20; hops++) {
      const [refFile, fragment = ''] = value.$ref.split('#');
      const target = refFile
        ? /^https?:/.test(file)
          ? new URL(refFile, file).href
          : resolvePath(dirname(file), refFile)
        : file;
      try {
        value = refs.get(`${target}#${fragment}`);
      } catch {
        return fallback;
      }
      file = target;
      at = refToPointer('#' + fragment) ?? '';
    }
    if (typeof value !== 'object' || value === null) return fallback;
    value = (value as JsonObject)[token];
    at += '/' + escapePointerToken(token);
  }
  return { file: file === input.location ? input.label : file, pointer: at, value };
}
