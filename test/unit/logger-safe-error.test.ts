import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FileRejectedError } from '../../src/errors';
import { createLogger, safeError } from '../../src/logger';

const SECRET = 'Somsri Jaidee +66812345678';

/** What node-postgres throws: a message and fields that can quote the row. */
function databaseError(): Error {
  return Object.assign(new Error(`duplicate key value violates unique constraint: (${SECRET})`), {
    code: '23505',
    severity: 'ERROR',
    detail: `Key (phone)=(${SECRET}) already exists.`,
    where: `COPY import_rows, line 3: "${SECRET}"`,
  });
}

describe('safeError: an error as it may be logged', () => {
  it('keeps only the SQLSTATE of a database error, none of its message, detail or where', () => {
    const safe = safeError(databaseError());
    expect(safe).toMatchObject({ code: '23505', message: 'database error (SQLSTATE 23505)' });
    expect(JSON.stringify(safe)).not.toContain('Somsri');
  });

  it('keeps only the code of an error that quotes the file', () => {
    const safe = safeError(new FileRejectedError('INVALID_HEADER', `x.csv: unknown columns: ${SECRET}`));
    expect(safe).toMatchObject({
      type: 'FileRejectedError',
      code: 'INVALID_HEADER',
      message: 'FileRejectedError INVALID_HEADER',
    });
    expect(JSON.stringify(safe)).not.toContain('Somsri');
  });

  it('follows causes, cleaning each', () => {
    const safe = safeError(new Error('staging failed', { cause: databaseError() }));
    expect(safe.message).toBe('staging failed');
    expect(safe.cause?.message).toBe('database error (SQLSTATE 23505)');
    expect(JSON.stringify(safe)).not.toContain('Somsri');
  });

  it('is what a log line carries, whether the error is a field or the only argument', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const log = createLogger('info', 'test', sink);
    log.error(databaseError());
    log.error({ err: databaseError() }, 'batch failed');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).not.toContain('Somsri');
    expect(lines[0]).toContain('SQLSTATE 23505');
    expect(JSON.parse(lines[1])).toMatchObject({
      msg: 'batch failed',
      err: { code: '23505', message: 'database error (SQLSTATE 23505)' },
    });
  });
});
