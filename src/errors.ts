/** Input that is well-formed but invalid (bad email, unknown time zone): HTTP 422. */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  constructor(message: string, readonly details?: unknown, readonly code = 'validation_failed') {
    super(message);
  }
}

/** An id that names nothing: HTTP 404. */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
  constructor(readonly what: string, readonly id: string) {
    super(`${what} ${JSON.stringify(id)} not found`);
  }
}

/** The request contradicts the stored state: HTTP 409. */
export class ConflictError extends Error {
  override readonly name = 'ConflictError';
  constructor(message: string, readonly details?: unknown) {
    super(message);
  }
}

/** A dependency (Temporal, SMTP) cannot be reached right now: HTTP 503. */
export class UnavailableError extends Error {
  override readonly name = 'UnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * A message template the marketer must fix (Liquid that does not parse or render): the touch fails for good, because
 * no retry can help. Every other exception while sending is infrastructure and is retried.
 */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
