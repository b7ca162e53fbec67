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

/** The simulator cannot run: a bad argument, personas file or funnel. Each problem is one line naming its file and line. */
export class SimulationInputError extends Error {
  override readonly name = 'SimulationInputError';
  constructor(message: string, readonly problems: readonly string[] = []) {
    super(message);
  }
}

/** A channel refused a message the request itself asked to send (a test send): HTTP 502, with the channel's reason. */
export class SendFailedError extends Error {
  override readonly name = 'SendFailedError';
  constructor(message: string, readonly details: { channel: string; retryable: boolean }) {
    super(message);
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

/** A port the embedded Temporal dev server needs is taken by a process that is not this DATA_DIR's dev server. */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  constructor(readonly variable: string, readonly port: number, readonly dataDir: string) {
    super(`${variable}=${port}: port ${port} on 127.0.0.1 is already in use by another process (not the Temporal dev server of DATA_DIR ${dataDir}). `
      + `Stop that process, set ${variable} to a free port, or set TEMPORAL_ADDRESS to use an existing Temporal server on purpose.`);
  }
}

/** Another running engine owns this DATA_DIR's embedded Temporal dev server. */
export class DataDirInUseError extends Error {
  override readonly name = 'DataDirInUseError';
  constructor(readonly dataDir: string, readonly ownerPid: number) {
    super(`the Temporal dev server of DATA_DIR ${dataDir} belongs to a running autofunnel (pid ${ownerPid}): stop it first, or use another DATA_DIR`);
  }
}

/** `npm run funnels` cannot do what it was asked: a bad argument, a funnel file that fails the check, a refused request. */
export class FunnelsCommandError extends Error {
  override readonly name = 'FunnelsCommandError';
  constructor(message: string, readonly lines: readonly string[] = []) {
    super(message);
  }
}

/** A staff task's hand-off refused it for now (the webhook's 408/429/5xx or timeout, a team channel's temporary failure): the activity retries it. */
export class StaffTaskHandoffError extends Error {
  override readonly name = 'StaffTaskHandoffError';
}
