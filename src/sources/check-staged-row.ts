import type { RowError } from '../domain/row-error';
import type { SourceDefinition, ValidationContext, ValidationResult } from './source';

const PARSE_PROBLEMS: Record<string, RowError> = {
  COLUMN_COUNT: {
    field: '*',
    code: 'COLUMN_COUNT',
    message: 'the record has a different number of fields than the header; values were not shifted into other columns',
  },
  NUL_CHAR: { field: '*', code: 'NUL_CHAR', message: 'the record contains a NUL character' },
};

/** A staged record through parse problems first, then the source's own rules; every reason is kept. */
export function checkStagedRow<T>(
  source: SourceDefinition<T>,
  record: Record<string, string>,
  problems: string[] | null,
  ctx: ValidationContext,
): ValidationResult<T> {
  const parseErrors = (problems ?? []).map(
    (p) => PARSE_PROBLEMS[p] ?? { field: '*', code: p, message: 'the record could not be read' },
  );
  // A record whose fields shifted cannot be trusted column by column.
  if (parseErrors.some((e) => e.code === 'COLUMN_COUNT')) return { ok: false, errors: parseErrors };
  const result = source.validate(record, ctx);
  if (parseErrors.length === 0) return result;
  return { ok: false, errors: [...parseErrors, ...(result.ok ? [] : result.errors)] };
}
