// Which column of a file most likely feeds each CRM field, and how sure that is: by the column's
// name first, then by what its first values look like. Only a sure guess is applied by itself.

import { headerKey } from './file-check.js';

const NAMES = {
  external_id: [
    'external_id',
    'id',
    'customer_id',
    'customer_no',
    'customer_number',
    'member_id',
    'member_no',
    'legacy_id',
    'cust_id',
    'code',
  ],
  first_name: ['first_name', 'firstname', 'given_name', 'fname', 'forename'],
  last_name: ['last_name', 'lastname', 'surname', 'family_name', 'lname'],
  full_name: ['full_name', 'name', 'customer_name', 'member_name', 'fullname'],
  gender: ['gender', 'sex'],
  date_of_birth: ['date_of_birth', 'dob', 'birthday', 'birth_date', 'birthdate'],
  phone: ['phone', 'mobile', 'mobile_no', 'phone_number', 'tel', 'telephone', 'cell'],
  email: ['email', 'e_mail', 'mail', 'email_address'],
  total_sales: ['total_sales', 'sales', 'spend', 'total_spend', 'amount', 'lifetime_value'],
};

const VALUES = {
  email: /^[^@\s]+@[^@\s]+\.[^@\s]+$/,
  phone: /^\+?[\d\s().-]{9,16}$/,
  date_of_birth: /^(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\/\d{1,2}\/\d{4})$/,
  gender: /^(m|f|male|female)$/i,
  total_sales: /^[^\d\s-]?\s?-?[\d,]+(\.\d+)?$/,
};

/** A sure guess (by exact name) is applied; a likely one is offered; below that nothing is said. */
export const SURE = 0.9;
export const LIKELY = 0.5;

function nameScore(field, cell) {
  const key = headerKey(cell);
  const names = NAMES[field] ?? [field];
  if (names.includes(key)) return 0.95;
  if (names.some((n) => n.length > 3 && (key.includes(n) || n.includes(key)) && key.length > 2)) return 0.7;
  return 0;
}

function valueScore(field, values) {
  const pattern = VALUES[field];
  const filled = values.filter((v) => v.trim() !== '');
  if (!pattern || filled.length === 0) return 0;
  return (filled.filter((v) => pattern.test(v.trim())).length / filled.length) * 0.6;
}

/** For each field: { column, confidence, why } of the best column, or null when none is likely. */
export function suggestMapping(fields, header, rows) {
  const taken = new Set();
  const out = {};
  for (const field of fields) {
    let best = null;
    header.forEach((cell, i) => {
      const byName = nameScore(field, cell);
      const byValue = valueScore(
        field,
        rows.map((r) => r[i] ?? ''),
      );
      const confidence = Math.max(byName, byValue);
      if (confidence >= LIKELY && !taken.has(cell) && (!best || confidence > best.confidence))
        best = { column: cell, confidence, why: byName >= byValue ? 'its name' : 'its values' };
    });
    if (best && best.confidence >= SURE) taken.add(best.column);
    out[field] = best;
  }
  return out;
}
