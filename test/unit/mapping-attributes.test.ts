import { describe, expect, it } from 'vitest';
import { mapFileHeader, mappingSchema } from '../../src/sources/mapped/mapping';
import { mappedSource } from '../../src/sources/mapped/mapped';

const mapping = mappingSchema.parse({
  name: 'seed 001',
  fields: {
    external_id: { column: 'Customer_ID' },
    full_name: { join: ['First_Name', 'Last_Name'] },
    total_sales: { column: 'Sales_Amount', currency: 'THB' },
    'attributes.case_creation_date': { column: 'Support_Ticket_Date', type: 'date', format: 'MM/DD/YYYY' },
    'attributes.channel': { constant: 'legacy' },
  },
});
const header = ['Customer_ID', 'First_Name', 'Last_Name', 'Sales_Amount', 'Support_Ticket_Date'];

function validated(fields: string[]) {
  const mapped = mapFileHeader(header, mapping);
  const values = mapped.project(fields);
  return mappedSource.validate(Object.fromEntries(mapped.header.map((c, i) => [c, values[i]])), {
    today: '2026-01-01',
  });
}

describe('a mapping with custom attributes', () => {
  it('stages the attributes and the rules beside the fixed fields', () => {
    expect(mapFileHeader(header, mapping).header).toEqual([
      'external_id',
      'full_name',
      'total_sales',
      'attributes',
      'rules',
    ]);
  });

  it('gives the record its typed attributes and its amount with the currency', () => {
    const result = validated(['C-1', 'Anong', 'Boonmee', '1,000', '03/15/2024']);
    expect(result).toMatchObject({
      ok: true,
      value: {
        attributes: [
          { key: 'case_creation_date', value: '2024-03-15' },
          { key: 'channel', value: 'legacy' },
        ],
        amounts: [{ name: 'total_sales', amount: '1000.00', currency: 'THB' }],
      },
    });
  });

  it('changes the content digest when only an attribute changes, so a re-import updates the customer', () => {
    const a = validated(['C-1', 'Anong', 'Boonmee', '1', '03/15/2024']);
    const b = validated(['C-1', 'Anong', 'Boonmee', '1', '03/16/2024']);
    expect(a.ok && b.ok && a.value.hash !== b.value.hash).toBe(true);
  });

  it('rejects a bad attribute date naming the attribute, with the other reasons', () => {
    const result = validated(['C-1', 'Anong', 'Boonmee', '1.234', '15/03/2024']);
    expect(result).toEqual({
      ok: false,
      errors: [
        expect.objectContaining({ field: 'total_sales', code: 'INVALID_AMOUNT' }),
        expect.objectContaining({ field: 'attributes.case_creation_date', code: 'DATE_ORDER_CONFLICT' }),
      ],
    });
  });

  it('refuses targets that are neither a field nor attributes.<key>, and options on the wrong target', () => {
    for (const fields of [
      { 'attributes.Bad-Key': { column: 'x' } },
      { nickname: { column: 'x' } },
      { email: { column: 'x', currency: 'USD' } },
      { 'attributes.d': { column: 'x', format: 'MM/DD/YYYY' } },
    ]) {
      expect(mappingSchema.safeParse({ name: 'x', fields: { ...mapping.fields, ...fields } }).success).toBe(false);
    }
  });
});
