import { constants } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve as resolvePath, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type SwaggerParser from '@apidevtools/swagger-parser';
import { ErrorCodes, parseYaml } from '@cutover/core';
import { OpenApiError } from './errors.js';
import { appendPointer, formatPointer } from './pointer.js';
import { fetchText, MAX_DOCUMENT_BYTES, RefusedUrlError } from './remote.js';
import { isObject } from './util.js';

/** Where `$ref`s of one document may lead. */
export interface RefPolicy {
  /** What messages call the document. */
  label: string;
  /** Absolute file path or URL of the document. */
  location: string;
  /** Folder local `$ref`s must stay in; undefined for a document fetched from a URL (no local files). */
  root?: string;
  /** Whether `$ref`s may fetch http(s) URLs. */
  allowRemote: boolean;
  /** Origin of a document the user named by URL: its siblings may be on any address. */
  trustedOrigin?: string;
  timeoutMs: number;
}

const NOT_A_FILE = 'it is not a regular file (a device, FIFO or socket)';
/** Pseudo and device file systems: never a document, whatever the root. */
const SPECIAL_ROOTS = ['/proc', '/sys', '/dev'];
/** Extensions json-schema-ref-parser's text parser claims: such a `$ref` yields the file's text. */
const TEXT_EXTENSIONS = /\.(txt|htm|html|md|xml|js|min|map|css|scss|less|svg)$/i;

/**
 * Reads and parses every file or URL a document's `$ref`s lead to, for json-schema-ref-parser
 * (its own file, http, YAML and JSON plugins are switched off): local files only inside the root
 * folder, regular files only; URLs only when allowed and never on internal addresses; YAML only
 * through `@cutover/core`'s `parseYaml`. A refusal is kept and thrown as an {@link OpenApiError}
 * naming the `$ref` ({@link RefGuard.failure}), since the parser rewraps what a plugin throws.
 */
export class RefGuard {
  /** The first refusal or parse failure, with the `$ref` that led to it. */
  failure: OpenApiError | undefined;
  private readonly parsed = new Map<string, unknown>();
  private realRoot: Promise<string> | undefined;

  constructor(
    private readonly policy: RefPolicy,
    rootValue: unknown,
  ) {
    this.parsed.set(policy.location, rootValue);
  }

  /** Options for `SwaggerParser#bundle`/`#resolve`. */
  options(): SwaggerParser.Options {
    return {
      resolve: {
        file: false,
        http: false,
        cutover: { order: 1, canRead: true, read: (file: { url: string }) => this.read(file.url) },
      },
      parse: {
        json: false,
        yaml: false,
        binary: false,
        cutover: {
          order: 1,
          allowEmpty: true,
          canParse: (file: { url: string }) => !TEXT_EXTENSIONS.test(stripHash(file.url)),
          parse: (file: { url: string; data: unknown }) => this.parse(file.url, file.data),
        },
      },
    } as never;
  }

  private async read(url: string): Promise<string> {
    try {
      return /^https?:/i.test(url) ? await this.readRemote(url) : await this.readLocal(url);
    } catch (error) {
      const refused = error instanceof Refusal || error instanceof RefusedUrlError;
      const message = (error as Error).message;
      this.failure ??= this.failed(url, refused ? `is refused: ${message}` : `cannot be read: ${message}`, error);
      throw error;
    }
  }

  private async readRemote(url: string): Promise<string> {
    if (!this.policy.allowRemote)
      throw new Refusal('remote $refs are not fetched unless allowed (--allow-remote-refs, allowRemoteRefs)');
    const options = {
      timeoutMs: this.policy.timeoutMs,
      ...(this.policy.trustedOrigin === undefined ? {} : { trustedOrigin: this.policy.trustedOrigin }),
    };
    return (await fetchText(url, options)).text;
  }

  private async readLocal(url: string): Promise<string> {
    if (this.policy.root === undefined)
      throw new Refusal('a document fetched from a URL may not reference local files');
    let path: string;
    try {
      path = /^file:/i.test(url) ? fileURLToPath(url) : decodeURIComponent(url);
    } catch {
      throw new Refusal('not a file path or http(s) URL');
    }
    if (/^[a-z][a-z0-9+.-]+:/i.test(path) && !isAbsolute(path))
      throw new Refusal(`${path.split(':')[0]}: URLs are not supported`);
    const root = this.policy.root;
    const wanted = resolvePath(path);
    if (!inside(root, wanted)) throw new Refusal(`it is outside ${root}, the folder $refs may read`);
    // A missing file is the parser's usual "cannot open" error; a link leading out is a refusal.
    const real = await realpath(wanted);
    if (!inside(await (this.realRoot ??= realpath(root)), real))
      throw new Refusal(`it is a symbolic link leading outside ${root}, the folder $refs may read`);
    const special = SPECIAL_ROOTS.find((folder) => inside(folder, wanted) || inside(folder, real));
    if (special) throw new Refusal(`it is in ${special}, a special file system, not a document`);
    // Sockets cannot be opened at all; FIFOs and devices are checked again on the open handle.
    if (!(await stat(real)).isFile()) throw new Refusal(NOT_A_FILE);
    // O_NONBLOCK: opening a FIFO must not wait for a writer; O_NOFOLLOW: the checked path stays a file.
    const handle = await open(real, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
    try {
      const opened = await handle.stat();
      if (!opened.isFile()) throw new Refusal(NOT_A_FILE);
      if (opened.size > MAX_DOCUMENT_BYTES)
        throw new Refusal(`it is ${opened.size} bytes, more than the ${MAX_DOCUMENT_BYTES} allowed`);
      return await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  }

  private parse(url: string, data: unknown): unknown {
    const text = Buffer.isBuffer(data) ? data.toString('utf8') : data;
    if (typeof text !== 'string') return text;
    try {
      const value = parseYaml(text, { source: url, what: 'the file', code: ErrorCodes.OPENAPI_INVALID });
      this.parsed.set(stripHash(url), value);
      return value;
    } catch (error) {
      this.failure ??= new OpenApiError(`${(error as Error).message} (referenced from ${this.policy.label})`, {
        cause: error,
        details: { source: url },
      });
      throw error;
    }
  }

  /** Names the `$ref` that led to `target`: the file holding it and its JSON pointer there. */
  private failed(target: string, reason: string, cause: unknown): OpenApiError {
    const found = this.findRef(stripHash(target));
    const file = found && found.file !== this.policy.location ? found.file : this.policy.label;
    const where = file === this.policy.label ? file : `${file} (referenced from ${this.policy.label})`;
    const at = found ? ` at ${formatPointer(found.pointer)}` : '';
    const shown = found?.ref ?? target;
    return new OpenApiError(`${where}: the $ref${at} to ${shown} ${reason}`, {
      cause,
      details: {
        source: file,
        ...(found ? { pointer: found.pointer, ref: found.ref } : {}),
        target: /^https?:/i.test(target) ? target : safeDecode(stripHash(target)),
      },
    });
  }

  private findRef(target: string): { file: string; pointer: string; ref: string } | undefined {
    for (const [file, value] of this.parsed) {
      const stack: { node: unknown; at: string }[] = [{ node: value, at: '' }];
      const seen = new Set<unknown>();
      while (stack.length > 0) {
        const { node, at } = stack.pop()!;
        if (typeof node !== 'object' || node === null || seen.has(node)) continue;
        seen.add(node);
        if (Array.isArray(node)) node.forEach((child, i) => stack.push({ node: child, at: appendPointer(at, i) }));
        else if (isObject(node)) {
          const ref = node.$ref;
          if (typeof ref === 'string' && !ref.startsWith('#') && sameTarget(resolveRef(file, ref), target))
            return { file, pointer: at, ref };
          for (const key in node) stack.push({ node: node[key], at: appendPointer(at, key) });
        }
      }
    }
    return undefined;
  }
}

/** A `$ref` target refused by policy (as opposed to one that failed to load). */
class Refusal extends Error {}

function inside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel));
}

function stripHash(url: string): string {
  const i = url.indexOf('#');
  return i === -1 ? url : url.slice(0, i);
}

function safeDecode(url: string): string {
  try {
    return /^file:/i.test(url) ? fileURLToPath(url) : decodeURIComponent(url);
  } catch {
    return url;
  }
}

/** How json-schema-ref-parser resolves a `$ref` against the file holding it (a path or a URL). */
function resolveRef(from: string, ref: string): string {
  if (/^https?:/i.test(from)) return stripHash(new URL(ref, from).href);
  const dummy = 'https://ref.invalid';
  const base = new URL(from.split(sep).join('/'), dummy);
  const resolved = new URL(ref, base);
  return stripHash(resolved.origin === dummy ? resolved.pathname : resolved.href);
}

function sameTarget(a: string, b: string): boolean {
  return a === b || safeDecode(a) === safeDecode(b);
}
