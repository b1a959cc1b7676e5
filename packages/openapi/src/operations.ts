/** The operations a document documents, indexed by method and path template under the servers' base paths. */
import { appendPointer, formatPointer, isObject, type JsonObject, type SchemaViolation } from '@cutover/core';
import { resolveRef } from './plans.js';
import { HTTP_METHODS, Router, serverBasePath, type BasePath } from './router.js';

/** One documented operation. */
export interface OperationInfo {
  /** Upper case: `GET`. */
  method: string;
  /** As written under `paths`: `/shipments/{id}`. */
  pathTemplate: string;
  operationId?: string;
  /** JSON pointer of the operation in the document: `/paths/~1shipments~1{id}/get`. */
  pointer: string;
  operation: JsonObject;
  /**
   * The base paths it is served under, as a gateway sees them (`''` for the root, `/v1`): of the
   * operation's own `servers`, else its path item's, else the document's; each server counts, with
   * its variables at their defaults.
   */
  basePaths: string[];
}

/** Where a concrete request lands in the document. */
export interface FoundOperation {
  kind: 'found' | 'ambiguous';
  operation: OperationInfo;
  pathTemplate: string;
  /** Path parameter values, percent-decoded: `{ id: '42' }`. */
  params: Record<string, string>;
  /** Document pointer of the operation (same as `operation.pointer`). */
  pointer: string;
  /** The server base path that matched (`''` or `/v1`). */
  basePath: string;
  /** For `ambiguous`: the other templates matching as specifically as the one chosen (first in document order wins). */
  candidates: OperationInfo[];
}

export interface OperationNotFound {
  kind: 'not-found';
  /** `path`: no template matches; `method`: templates match but none documents this method. */
  reason: 'path' | 'method';
  allowedMethods: string[];
  message: string;
}

export type OperationLookup = FoundOperation | OperationNotFound;

/** Finds the operation of a concrete request. */
export class OperationIndex {
  readonly operations: readonly OperationInfo[];
  private readonly router = new Router<OperationInfo>();

  /** `basePath` replaces the servers' base paths. */
  constructor(document: JsonObject, basePath?: string) {
    const override = basePath === undefined ? undefined : [serverBasePath(basePath)];
    const topBases = override ?? basesOf(document.servers);
    const operations: OperationInfo[] = [];
    const paths = isObject(document.paths) ? document.paths : {};
    for (const [template, rawItem] of Object.entries(paths)) {
      const item = resolveRef(document, rawItem, appendPointer('/paths', template));
      if (!item) continue;
      const itemBases = override ?? (Array.isArray(item.value.servers) ? basesOf(item.value.servers) : topBases);
      for (const method of HTTP_METHODS) {
        const operation = item.value[method];
        if (!isObject(operation)) continue;
        const bases = override ?? (Array.isArray(operation.servers) ? basesOf(operation.servers) : itemBases);
        const info: OperationInfo = {
          method: method.toUpperCase(),
          pathTemplate: template,
          pointer: appendPointer(item.pointer, method),
          operation,
          basePaths: [...new Set(bases.map((b) => b.path))],
          ...(typeof operation.operationId === 'string' ? { operationId: operation.operationId } : {}),
        };
        this.router.add(template, bases, method, info);
        operations.push(info);
      }
    }
    this.operations = operations;
  }

  /**
   * Document-level `operation.ambiguous` warnings: templates with the same shape and method
   * (`/pets/{id}` and `/pets/{name}`), which no request can tell apart.
   */
  ambiguousTemplates(): SchemaViolation[] {
    return this.router.ambiguities().map(({ method, templates }) => ({
      code: 'operation.ambiguous',
      severity: 'warning' as const,
      on: 'request' as const,
      instancePath: 'path',
      schemaPath: formatPointer(appendPointer('/paths', templates[0]!)),
      rule: 'path',
      message: `${method} ${templates.join(' and ')} match the same requests; ${templates[0]} (first in the document) is used`,
    }));
  }

  /**
   * Finds the operation a concrete request addresses. Literal segments win over templated ones;
   * when two templates match equally (`/pets/{id}` and `/pets/{name}`) the result is `ambiguous`.
   *
   * @example
   * index.find('GET', '/v1/shipments/42') // { kind: 'found', pathTemplate: '/shipments/{id}', params: { id: '42' }, ... }
   */
  find(method: string, concretePath: string): OperationLookup {
    const path = concretePath.split('?')[0] || '/';
    const result = this.router.lookup(method, path);
    if (result.kind === 'no-path') {
      return {
        kind: 'not-found',
        reason: 'path',
        allowedMethods: [],
        message: `no path in the document matches ${method.toUpperCase()} ${path}`,
      };
    }
    if (result.kind === 'no-method') {
      return {
        kind: 'not-found',
        reason: 'method',
        allowedMethods: result.allowed,
        message: `${result.templates.join(', ')} does not document ${method.toUpperCase()} (documented: ${result.allowed.join(', ')})`,
      };
    }
    const chosen = result.value;
    const candidates = result.ambiguousWith.map((e) => e.methods.get(method.toUpperCase())!);
    return {
      kind: candidates.length > 0 ? 'ambiguous' : 'found',
      operation: chosen,
      pathTemplate: chosen.pathTemplate,
      params: result.params,
      pointer: chosen.pointer,
      basePath: result.basePath,
      candidates,
    };
  }
}

function basesOf(servers: unknown): BasePath[] {
  if (!Array.isArray(servers) || servers.length === 0) return [serverBasePath('/')];
  const bases = servers
    .filter((s): s is JsonObject => isObject(s) && typeof s.url === 'string')
    .map((s) => serverBasePath(s.url as string, isObject(s.variables) ? (s.variables as never) : {}));
  return bases.length > 0 ? bases : [serverBasePath('/')];
}

export function unknownOperation(lookup: OperationNotFound, on: 'request' | 'response'): SchemaViolation {
  return {
    code: 'request.path-or-method.unknown',
    severity: 'error',
    on,
    instancePath: lookup.reason === 'path' ? 'path' : 'method',
    schemaPath: formatPointer('/paths'),
    rule: lookup.reason,
    message: lookup.message,
  };
}

export function ambiguity(lookup: FoundOperation, on: 'request' | 'response'): SchemaViolation {
  return {
    code: 'operation.ambiguous',
    severity: 'warning',
    on,
    instancePath: 'path',
    schemaPath: formatPointer(lookup.pointer),
    rule: 'path',
    message: `the path matches ${[lookup.pathTemplate, ...lookup.candidates.map((c) => c.pathTemplate)].join(' and ')} equally; validated against ${lookup.pathTemplate} (first in the document)`,
  };
}
