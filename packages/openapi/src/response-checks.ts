/** Checks of a response against its documented status: headers and body. */
import { appendPointer, formatPointer, type SchemaViolation } from '@cutover/core';
import { checkBody, guessContentType } from './body.js';
import { readStyled } from './params.js';
import type { DocumentPlans, ResponsePlan } from './plans.js';
import type { SchemaCompiler, ViolationContext } from './schema.js';

const RESPONSE_BODY: ViolationContext = {
  code: 'response.body.incompatible',
  on: 'response',
  subject: 'response body',
};

export function checkResponseHeaders(
  compiler: SchemaCompiler,
  plan: ResponsePlan,
  headers: ReadonlyMap<string, string[]>,
  options: { requireDocumentedHeaders?: boolean },
): SchemaViolation[] {
  const violations: SchemaViolation[] = [];
  for (const header of plan.headers) {
    const values = headers.get(header.lower);
    if (values === undefined) {
      if (header.required && options.requireDocumentedHeaders !== false) {
        violations.push({
          code: 'response.header.missing',
          severity: 'error',
          on: 'response',
          instancePath: `header/${header.name}`,
          schemaPath: formatPointer(appendPointer(header.pointer, 'required')),
          rule: 'required',
          message: `response header "${header.name}" is required but missing`,
        });
      }
      continue;
    }
    if (header.schemaPointer === undefined || header.shape === undefined) continue;
    const value = readStyled(values.join(','), ',', header.explode, header.shape);
    violations.push(
      ...compiler.get('response', header.schemaPointer).violations(value, {
        code: 'response.header.invalid',
        on: 'response',
        instancePrefix: `header/${header.name}`,
        subject: `response header "${header.name}"`,
      }),
    );
  }
  return violations;
}

export function checkResponseBody(
  compiler: SchemaCompiler,
  plans: DocumentPlans,
  plan: ResponsePlan,
  response: { body?: unknown; contentType?: string },
  headers: ReadonlyMap<string, string[]>,
  label: string,
  partial: boolean,
): SchemaViolation[] {
  const contentType =
    response.contentType ?? headers.get('content-type')?.[0] ?? guessContentType(response.body, plan.types);
  const media = contentType === undefined ? undefined : plans.mediaPlan(plan, contentType);
  if (media === undefined) {
    return [
      {
        code: 'response.content-type.undocumented',
        severity: 'error',
        on: 'response',
        instancePath: 'header/content-type',
        schemaPath: formatPointer(plan.contentPointer),
        rule: 'content',
        message:
          plan.types.length === 0
            ? `${label} documents no response body, but the response has one${contentType ? ` (${contentType})` : ''}`
            : `content type ${contentType ?? '(none)'} is not documented for ${label} (documented: ${plan.types.join(', ')})`,
      },
    ];
  }
  return checkBody(compiler, partial ? 'response-partial' : 'response', response.body, media, RESPONSE_BODY);
}
