import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { NANA_COLUMNS, nanaFile } from '../support/generate-nana';

// The benchmark's file is only as realistic as its generator: these are the shares and formats.
const RECORDS = 20_000;
const file = nanaFile({
  records: RECORDS,
  seed: 42,
  existingCustomerIds: [1, 2, 3],
  existingPhone: (k) => `EXISTING-${k}`,
  existingPhoneCount: 1000,
});
const rows: Record<string, string>[] = parse(file, { columns: true });
const share = (test: (r: Record<string, string>) => boolean) => rows.filter(test).length / rows.length;

describe('the seeded Nana file generator', () => {
  it('gives the same bytes for the same seed and other bytes for another', () => {
    expect(nanaFile({ records: 500, seed: 7 })).toBe(nanaFile({ records: 500, seed: 7 }));
    expect(nanaFile({ records: 500, seed: 8 })).not.toBe(nanaFile({ records: 500, seed: 7 }));
    expect(file.split('\n', 1)[0]).toBe(NANA_COLUMNS.join(','));
    expect(rows).toHaveLength(RECORDS);
  });

  it('makes about 2% of records invalid', () => {
    const invalid = share(
      (r) => r.gender === 'X' || r.date_of_birth === '2023-02-30' || r.phone === '12345' || r.email === 'not-an-email',
    );
    expect(invalid).toBeGreaterThan(0.015);
    expect(invalid).toBeLessThan(0.025);
  });

  it('reuses an earlier phone in about 5% of records, a third of them forced', () => {
    const seen = new Set<string>();
    let reused = 0;
    let forced = 0;
    for (const r of rows) {
      const first = r.phone.split(', ')[0];
      if (seen.has(first)) {
        reused += 1;
        if (r.force_create === 'Y') forced += 1;
      }
      seen.add(first);
    }
    expect(reused / RECORDS).toBeGreaterThan(0.04);
    expect(reused / RECORDS).toBeLessThan(0.065);
    expect(forced / reused).toBeGreaterThan(0.25);
    expect(forced / reused).toBeLessThan(0.42);
  });

  it('writes several ids and phones per record in every format, Thai and Latin names, quoted company lists, existing customers and phones', () => {
    expect(share((r) => r.nana_cus_id.includes(','))).toBeGreaterThan(0.15);
    expect(share((r) => r.phone.includes(', '))).toBeGreaterThan(0.3);
    const phones = rows.flatMap((r) => r.phone.split(', '));
    for (const format of [
      /^0[689]\d{8}$/,
      /^0[689]\d-\d{3}-\d{4}$/,
      /^\+66[689]\d{8}$/,
      /^\+66 [689]\d \d{3} \d{4}$/,
      /^02-\d{3}-\d{4}$/,
    ]) {
      expect(
        phones.some((p) => format.test(p)),
        String(format),
      ).toBe(true);
    }
    const thai = share((r) => /[\u0E00-\u0E7F]/.test(r.firstname));
    expect(thai).toBeGreaterThan(0.45);
    expect(thai).toBeLessThan(0.55);
    expect(share((r) => /^"[^"]+"(, "[^"]+")+$/.test(r.company_name))).toBeGreaterThan(0.05);
    expect(share((r) => r.careos_cus_id !== '')).toBeGreaterThan(0.02);
    const existing = phones.filter((p) => p.startsWith('EXISTING-')).length / RECORDS;
    expect(existing).toBeGreaterThan(0.015);
    expect(existing).toBeLessThan(0.025);
  });
});
