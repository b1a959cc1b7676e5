/** A business-rule failure with the HTTP status and stable code the API reports for it. */
export class DomainError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 422,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string, id: string): DomainError =>
  new DomainError(404, `${what.toUpperCase()}_NOT_FOUND`, `${what} ${id} does not exist`, { id });

export const invalid = (field: string, message: string): DomainError =>
  new DomainError(422, 'VALIDATION_FAILED', `${field}: ${message}`, { field });
