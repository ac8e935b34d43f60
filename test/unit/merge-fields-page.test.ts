import { describe, expect, it } from 'vitest';
import {
  MERGEABLE_FIELDS,
  survivorFields,
  type CustomerFields,
  type MergeableField,
} from '../../src/domain/dedupe/survivor-fields';

// A plain ES module of the admin page (web/js): imported by path so that tsc does not type it.
const modulePath = '../../web/js/merge-fields.js';
const page = (await import(modulePath)) as {
  MERGE_FIELDS: { key: MergeableField }[];
  MERGE_RULES: { value: 'fill_blanks' | 'survivor_wins' }[];
  DEFAULT_RULE: string;
  ruleSource(field: MergeableField, s: CustomerFields, others: CustomerFields[], rule: string): CustomerFields;
};

const customers: CustomerFields[] = [
  { id: 1, firstName: 'Malee', lastName: ' ', gender: null, dateOfBirth: null },
  { id: 2, firstName: 'Srisuk', lastName: 'Malee', gender: '', dateOfBirth: '1980-01-02' },
  { id: 3, firstName: 'Malee', lastName: 'Srisuk', gender: 'F', dateOfBirth: '1981-01-01' },
];

describe("the Duplicates screen's field rule", () => {
  it('offers every field the api accepts a choice for, and the api default first', () => {
    expect(page.MERGE_FIELDS.map((f) => f.key)).toEqual([...MERGEABLE_FIELDS]);
    expect(page.DEFAULT_RULE).toBe('fill_blanks');
    expect(page.MERGE_RULES.map((r) => r.value).sort()).toEqual(['fill_blanks', 'survivor_wins']);
  });

  it('gives the survivor the value the api gives it, for each survivor, rule and field', () => {
    for (const survivor of customers) {
      const others = customers.filter((c) => c !== survivor);
      for (const { value: rule } of page.MERGE_RULES) {
        const changes = survivorFields(survivor, others, rule);
        for (const field of MERGEABLE_FIELDS) {
          const expected = field in changes ? changes[field] : survivor[field];
          expect(page.ruleSource(field, survivor, others, rule)[field], `${rule} ${field} of ${survivor.id}`).toBe(
            expected,
          );
        }
      }
    }
  });
});
