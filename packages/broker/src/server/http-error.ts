import type { FastifyError, FastifyInstance } from 'fastify';

/** What the Pact Broker puts under `errors`: a list of messages, or messages per field. */
export type ErrorsBody = string[] | Record<string, string[]>;

/** The one error type of the broker's routes; the central handler turns it into `{ "errors": … }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly errors: ErrorsBody,
  ) {
    super(Array.isArray(errors) ? errors.join('; ') : Object.values(errors).flat().join('; '));
    this.name = 'HttpError';
  }
}

export const badRequest = (errors: ErrorsBody) => new HttpError(400, errors);
export const notFound = (what: string) => new HttpError(404, [`${what} was not found`]);
export const conflict = (message: string) => new HttpError(409, [message]);

/** Fastify's own failures (body too large, invalid JSON, schema validation) become 4xx with `errors`. */
function fromFastify(error: FastifyError): HttpError | undefined {
  if (error.validation) {
    const byField: Record<string, string[]> = {};
    for (const v of error.validation) {
      const field =
        `${error.validationContext ?? 'body'}${v.instancePath.replace(/\//g, '.')}` +
        (v.keyword === 'required' ? `.${String((v.params as { missingProperty?: unknown }).missingProperty)}` : '');
      (byField[field] ??= []).push(v.message ?? 'is invalid');
    }
    return new HttpError(400, byField);
  }
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500)
    return new HttpError(error.statusCode, [error.message]);
  return undefined;
}

/**
 * One error handler for every route: `HttpError`s and Fastify's client errors answer with their
 * status and the Pact Broker's `{ "errors": … }` body; anything else is logged and answered with a
 * 500 that reveals nothing about the cause.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const known = error instanceof HttpError ? error : fromFastify(error);
    if (known) {
      return reply.status(known.status).type('application/hal+json;charset=utf-8').send({ errors: known.errors });
    }
    request.log.error({ err: error }, 'request failed');
    return reply
      .status(500)
      .type('application/hal+json;charset=utf-8')
      .send({ errors: ['the broker failed to handle this request; see its log'] });
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .type('application/hal+json;charset=utf-8')
      .send({ errors: [`${request.method} ${request.url.split('?')[0]} is not a resource of this broker`] }),
  );
}
