import { ApplicationFailure } from '@temporalio/common';
import { FerryError } from '../src/errors';

// SQLSTATE classes a retry cannot fix: data exceptions (22), integrity violations (23), syntax or access (42).
const PERMANENT_SQL_CLASSES = new Set(['22', '23', '42']);

/**
 * Decides whether Temporal should retry. Transient trouble (lost connections, deadlocks, a database
 * in recovery) is rethrown and retried without limit; problems a retry cannot fix end the attempt
 * for good. The message is an error code's description, never file content.
 */
export function toActivityFailure(err: unknown): unknown {
  if (err instanceof ApplicationFailure) return err;
  if (err instanceof FerryError) {
    return ApplicationFailure.create({
      type: err.code,
      message: err.message,
      nonRetryable: err.status < 500,
      cause: err,
    });
  }
  const sqlState = (err as { code?: unknown }).code;
  if (typeof sqlState === 'string' && /^[0-9A-Z]{5}$/.test(sqlState)) {
    // PostgreSQL messages can quote values from the file: only the SQLSTATE travels to Temporal.
    const permanent = PERMANENT_SQL_CLASSES.has(sqlState.slice(0, 2));
    return ApplicationFailure.create({
      type: `SQL_${sqlState}`,
      message: `database error (SQLSTATE ${sqlState})`,
      nonRetryable: permanent,
    });
  }
  return err;
}
