import { redactCredentials } from '@cutover/core';
import type { Pact, SchemaViolation } from '@cutover/core';
import { fromHttpRequest, fromHttpResponse } from './convert.js';
import type { OpenApiDocument } from './document.js';

export const CHECK_FORMAT = 'cutover.openapi-check/v1' as const;

/** One problem found in a pact interaction, with the interaction it belongs to. */
export interface CheckFinding extends SchemaViolation {
  consumer: string;
  provider: string;
  /** File or URL of the pact, when known. */
  pactSource?: string;
  /** Position of the pact in the checked list (and in `CheckReport.pacts`). */
  pactIndex: number;
  interaction: { index: number; description: string; key?: string };
  request: { method: string; path: string };
  /** The documented operation the interaction was matched to, when one was found. */
  operation?: { method: string; path: string; operationId?: string };
}

export interface OperationCoverage {
  method: string;
  path: string;
  operationId?: string;
  /** Number of HTTP interactions (across all pacts) that exercise the operation. */
  interactions: number;
}

/** What `cutover openapi check` reports (`--json` writes this object). */
export interface CheckReport {
  format: typeof CHECK_FORMAT;
  openapi: { source: string; version: string };
  pacts: {
    consumer: string;
    provider: string;
    source?: string;
    interactions: number;
    skipped: number;
    /** Interaction descriptions in pact order. */
    descriptions: string[];
  }[];
  findings: CheckFinding[];
  /** Problems of the document itself, whatever the pacts (today: ambiguous path templates, as warnings). */
  document: SchemaViolation[];
  coverage: {
    operations: number;
    covered: number;
    /** Documented operations no consumer interaction exercises. */
    uncovered: OperationCoverage[];
    byOperation: OperationCoverage[];
  };
  summary: {
    /** All interactions in the pacts. */
    interactions: number;
    /** HTTP interactions checked. */
    checked: number;
    /** Message interactions: nothing to check against an HTTP API document. */
    skipped: number;
    errors: number;
    warnings: number;
    /** No errors (warnings allowed). */
    ok: boolean;
  };
}

/**
 * Checks every HTTP interaction of the pacts against the document, without running anything:
 * the request's operation exists and its parameters and body are valid; the response status and
 * content type are documented; the pact's example response body validates; and no field the pact
 * expects is missing from the schema (`response.body.undeclared-field`). Also reports which
 * documented operations no interaction exercises.
 *
 * @example
 * const report = checkPacts(await loadOpenApi('openapi.yaml'), [await loadPact('pacts/web-app.json')]);
 * if (!report.summary.ok) console.log(renderConsole(report));
 */
export function checkPacts(doc: OpenApiDocument, pacts: Pact[]): CheckReport {
  const findings: CheckFinding[] = [];
  const hits = new Map(doc.operations.map((op) => [op, 0]));
  let interactions = 0;
  let checked = 0;
  const pactSummaries: CheckReport['pacts'] = [];
  pacts.forEach((pact, pactIndex) => {
    let skipped = 0;
    for (const interaction of pact.interactions) {
      interactions++;
      if (interaction.type !== 'http') {
        skipped++;
        continue;
      }
      checked++;
      const request = fromHttpRequest(interaction.request);
      const response = fromHttpResponse(interaction.response);
      const lookup = doc.findOperation(request.method, request.path);
      const base = {
        consumer: pact.consumer.name,
        provider: pact.provider.name,
        ...(pact.source === undefined ? {} : { pactSource: pact.source }),
        pactIndex,
        interaction: {
          index: interaction.index,
          description: interaction.description,
          ...(interaction.key === undefined ? {} : { key: interaction.key }),
        },
        request: { method: request.method.toUpperCase(), path: request.path },
      };
      const violations = doc.validateRequest(request);
      if (lookup.kind !== 'not-found') {
        hits.set(lookup.operation, (hits.get(lookup.operation) ?? 0) + 1);
        // A pact's response lists only what the consumer relies on: absent headers and fields are fine.
        violations.push(
          ...doc.validateResponse(lookup, response, { requireDocumentedHeaders: false, partialBody: true }),
        );
        violations.push(...doc.undeclaredResponseFields(lookup, response));
      }
      const operation =
        lookup.kind === 'not-found'
          ? undefined
          : {
              method: lookup.operation.method,
              path: lookup.pathTemplate,
              ...(lookup.operation.operationId === undefined ? {} : { operationId: lookup.operation.operationId }),
            };
      for (const v of violations) findings.push({ ...v, ...base, ...(operation ? { operation } : {}) });
    }
    pactSummaries.push({
      consumer: pact.consumer.name,
      provider: pact.provider.name,
      ...(pact.source === undefined ? {} : { source: pact.source }),
      interactions: pact.interactions.length,
      skipped,
      descriptions: pact.interactions.map((i) => i.description),
    });
  });
  const byOperation: OperationCoverage[] = doc.operations.map((op) => ({
    method: op.method,
    path: op.pathTemplate,
    ...(op.operationId === undefined ? {} : { operationId: op.operationId }),
    interactions: hits.get(op) ?? 0,
  }));
  const errors = findings.filter((f) => f.severity === 'error').length;
  const documentWarnings = doc.ambiguousTemplates();
  return {
    format: CHECK_FORMAT,
    openapi: { source: redactCredentials(doc.source), version: doc.openapi },
    pacts: pactSummaries,
    findings,
    document: documentWarnings,
    coverage: {
      operations: byOperation.length,
      covered: byOperation.filter((o) => o.interactions > 0).length,
      uncovered: byOperation.filter((o) => o.interactions === 0),
      byOperation,
    },
    summary: {
      interactions,
      checked,
      skipped: interactions - checked,
      errors,
      warnings: findings.length - errors + documentWarnings.length,
      ok: errors === 0,
    },
  };
}
