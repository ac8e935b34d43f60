import { describe, expect, it } from 'vitest';
import { checkStagedRow } from '../../src/sources/check-staged-row';
import { nanaSource } from '../../src/sources/nana/nana';

const ctx = { today: '2025-06-01' };
const validRow = { nana_cus_id: 'N1', firstname: 'Somsri', lastname: 'Jaidee', phone: '0812345678' };
const badGenderRow = { ...validRow, gender: 'Q' };

describe('checkStagedRow', () => {
  it("returns the source's own result when the record had no parse problems", () => {
    expect(checkStagedRow(nanaSource, validRow, null, ctx)).toEqual(nanaSource.validate(validRow, ctx));
    expect(checkStagedRow(nanaSource, badGenderRow, [], ctx)).toEqual(nanaSource.validate(badGenderRow, ctx));
  });

  it('rejects a record with the wrong number of fields without checking its columns', () => {
    expect(checkStagedRow(nanaSource, badGenderRow, ['COLUMN_COUNT'], ctx)).toEqual({
      ok: false,
      errors: [
        {
          field: '*',
          code: 'COLUMN_COUNT',
          message:
            'the record has a different number of fields than the header; values were not shifted into other columns',
        },
      ],
    });
  });

  it('keeps every parse problem when the field count is wrong', () => {
    const result = checkStagedRow(nanaSource, badGenderRow, ['NUL_CHAR', 'COLUMN_COUNT'], ctx);
    expect(!result.ok && result.errors.map((e) => e.code)).toEqual(['NUL_CHAR', 'COLUMN_COUNT']);
  });

  it("reports a NUL character together with the source's own errors", () => {
    const result = checkStagedRow(nanaSource, badGenderRow, ['NUL_CHAR'], ctx);
    expect(result).toEqual({
      ok: false,
      errors: [
        { field: '*', code: 'NUL_CHAR', message: 'the record contains a NUL character' },
        { field: 'gender', code: 'INVALID_GENDER', message: 'gender must be F or M when present' },
      ],
    });
  });

  it('rejects an otherwise valid record that contains a NUL character', () => {
    expect(checkStagedRow(nanaSource, validRow, ['NUL_CHAR'], ctx)).toEqual({
      ok: false,
      errors: [{ field: '*', code: 'NUL_CHAR', message: 'the record contains a NUL character' }],
    });
  });

  it('reports an unknown parse problem under its own code with a generic message', () => {
    expect(checkStagedRow(nanaSource, validRow, ['ODD_BYTES'], ctx)).toEqual({
      ok: false,
      errors: [{ field: '*', code: 'ODD_BYTES', message: 'the record could not be read' }],
    });
  });
});
