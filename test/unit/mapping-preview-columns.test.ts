import { describe, expect, it } from 'vitest';
import { mapFileHeader, mappingSchema } from '../../src/sources/mapped/mapping';
import { mappedSource } from '../../src/sources/mapped/mapped';
import { previewColumns, previewValues } from '../../src/sources/mapped/preview-columns';

const mapping = mappingSchema.parse({
  name: 'preview',
  fields: {
    external_id: { column: 'Code' },
    full_name: { column: 'Name' },
    'attributes.case_creation_date': { column: 'Opened', type: 'date', format: 'MM/DD/YYYY' },
  },
});
const projected = mapFileHeader(['Code', 'Name', 'Opened'], mapping);
const targets = Object.keys(mapping.fields);

function preview(fields: string[]) {
  const values = projected.project(fields);
  const staged = Object.fromEntries(projected.header.map((c, i) => [c, values[i]]));
  return previewValues(staged, mappedSource.validate(staged, { today: '2026-01-01' }), targets);
}

describe('the mapping preview of custom attributes', () => {
  it('shows each attribute in its own column instead of the staged attributes and rules', () => {
    expect(previewColumns(projected.header, targets)).toEqual([
      'external_id',
      'full_name',
      'attributes.case_creation_date',
    ]);
  });

  it("shows a valid record's attribute as it would be stored, and an invalid one as written", () => {
    expect(preview(['C-1', 'Anong Boonmee', '03/15/2024'])).toEqual({
      external_id: 'C-1',
      full_name: 'Anong Boonmee',
      'attributes.case_creation_date': '2024-03-15',
    });
    expect(preview(['C-2', 'Anong Boonmee', '15/03/2024'])['attributes.case_creation_date']).toBe('15/03/2024');
  });
});
