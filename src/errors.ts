/** Errors carry a literal code that the edge maps to a status; causes stay attached. */
export class FerryError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 500,
    readonly details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'FerryError';
  }
}

/** The upload itself is unusable: nothing is staged, no workflow starts. */
export class FileRejectedError extends FerryError {
  constructor(code: string, message: string, status = 422, details?: Record<string, unknown>) {
    super(code, message, status, details);
    this.name = 'FileRejectedError';
  }
}

export class NotFoundError extends FerryError {
  constructor(what: string) {
    super('NOT_FOUND', `${what} not found`, 404);
    this.name = 'NotFoundError';
  }
}

export class ConflictError extends FerryError {
  constructor(code: string, message: string) {
    super(code, message, 409);
    this.name = 'ConflictError';
  }
}
