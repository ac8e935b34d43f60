import { describe, expect, it } from 'vitest';
import type { ImportRecord } from '../../src/db/queries/imports';
import { escapeFormula } from '../../src/domain/formula-escape';
import { errorReportHeader, errorReportLine } from '../../src/imports/error-report';

describe('escapeFormula', () => {
  it.each([
    ['=HYPERLINK("http://evil.example","click")', '\'=HYPERLINK("http://evil.example","click")'],
    ['+66812345678', "'+66812345678"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ['\t=1+1', "'\t=1+1"],
    ['\r=1+1', "'\r=1+1"],
    [' =1+1', "' =1+1"],
    ['\u00a0=1+1', "'\u00a0=1+1"],
    ['\u200b=1+1', "'\u200b=1+1"],
    ['\u202e=1+1', "'\u202e=1+1"],
    ['\uff1d1+1', "'\uff1d1+1"],
    ['\uff0b1', "'\uff0b1"],
    ['\uff0d1', "'\uff0d1"],
    ['\uff20SUM(1)', "'\uff20SUM(1)"],
  ])('puts a leading quote before %j so a spreadsheet keeps it as text', (value, escaped) => {
    expect(escapeFormula(value)).toBe(escaped);
  });

  it.each(['Somsri', '081-234-5678', 'somsri@example.com', 'a=b', ';=1+1', ' a', '', 'สมศรี'])(
    'leaves the ordinary value %j untouched',
    (value) => {
      expect(escapeFormula(value)).toBe(value);
    },
  );
});

describe('error report lines', () => {
  const imp = {
    header: [
      { original: 'Nana ID', column: 'nana_cus_id' },
      { original: 'Phone', column: 'phone' },
      { original: '', column: null },
    ],
  } as ImportRecord;

  it("heads the report with the file's own mapped columns, then where and why", () => {
    expect(errorReportHeader(imp)).toEqual(['Nana ID', 'Phone', 'row_number', 'line_number', 'errors']);
  });

  it("writes the record's values escaped, its position and every reason", () => {
    const line = errorReportLine(imp, {
      rowNumber: 3,
      lineNumber: 5,
      record: { nana_cus_id: '=cmd', phone: '12345' },
      errors: [
        { field: 'phone', code: 'INVALID_PHONE', message: 'phone is not a valid phone number' },
        { field: 'gender', code: 'INVALID_GENDER', message: 'gender must be F or M when present' },
      ],
    });
    expect(line).toEqual([
      "'=cmd",
      '12345',
      '3',
      '5',
      'phone: phone is not a valid phone number [INVALID_PHONE]; gender: gender must be F or M when present [INVALID_GENDER]',
    ]);
  });

  it('writes an empty cell for a column the record lacks', () => {
    const line = errorReportLine(imp, { rowNumber: 1, lineNumber: 2, record: { nana_cus_id: 'N1' }, errors: [] });
    expect(line).toEqual(['N1', '', '1', '2', '']);
  });
});
