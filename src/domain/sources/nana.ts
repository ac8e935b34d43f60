import { normalizeEmail } from '../email';
import { parseIsoDate } from '../date';
import { normalizePhone, splitPhoneList, type Phone } from '../phone';
import type { RowError } from '../row-error';
import type { SourceDefinition, ValidationContext, ValidationResult } from './source';
import { contentHash } from './values';

/**
 * A Nana record after validation: every list split, every value normalised. `key` names the
 * record in the sync history (see nanaSyncKey); `hash` digests the values an update would write.
 */
export interface NanaRecord {
  key: string;
  hash: string;
  careosCusId: number | null;
  nanaIds: string[];
  gender: 'F' | 'M' | null;
  firstName: string;
  lastName: string;
  emails: string[];
  dateOfBirth: string | null;
  phones: Phone[];
  companies: string[];
  forceCreate: boolean;
}

const columns = [
  { name: 'careos_cus_id', required: false, aliases: ['careos_id', 'careos_customer_id'], description: 'Existing CareOS customer id to link every Nana id to; empty creates a profile', example: '' },
  { name: 'nana_cus_id', required: true, aliases: ['nana_id', 'nana_customer_id'], description: 'Nana customer ids, comma-separated', example: 'N10001,N10002' },
  { name: 'gender', required: false, aliases: ['sex'], description: 'F or M, or empty', example: 'F' },
  { name: 'firstname', required: true, aliases: ['first_name', 'given_name'], description: 'First name', example: 'Somsri' },
  { name: 'lastname', required: true, aliases: ['last_name', 'surname', 'family_name'], description: 'Last name', example: 'Jaidee' },
  { name: 'email', required: false, aliases: ['email_address', 'emails'], description: 'Email addresses, comma-separated', example: 'somsri@example.com' },
  { name: 'date_of_birth', required: false, aliases: ['dob', 'birth_date', 'birthdate'], description: 'yyyy-mm-dd', example: '1988-04-12' },
  { name: 'phone', required: true, aliases: ['phones', 'phone_number', 'mobile', 'telephone'], description: 'Phone numbers, comma-separated', example: '081-234-5678, 02-123-4567' },
  { name: 'company_name', required: false, aliases: ['company', 'companies', 'company_names'], description: 'Quoted comma-separated company names', example: '"Rabbit Care Co., Ltd.", "Rabbit Internet Co., Ltd."' },
  { name: 'force_create', required: false, aliases: ['force'], description: 'Y creates a profile even when a phone already belongs to a customer', example: '' },
];

const MAX_NAME = 200;
const MAX_ID = 64;
// At most 15 digits: every such id is exact as a JavaScript number.
const CUSTOMER_ID = /^[1-9]\d{0,14}$/;
const CONTROL = /[\u0000-\u001f\u007f]/;

function validate(raw: Record<string, string>, ctx: ValidationContext): ValidationResult<NanaRecord> {
  const errors: RowError[] = [];
  const text = (name: string) => (raw[name] ?? '').trim();
  const err = (field: string, code: string, message: string) => errors.push({ field, code, message });

  let careosCusId: number | null = null;
  if (text('careos_cus_id') !== '') {
    if (CUSTOMER_ID.test(text('careos_cus_id'))) careosCusId = Number(text('careos_cus_id'));
    else err('careos_cus_id', 'INVALID_CUSTOMER_ID', 'careos_cus_id must be a CareOS customer id (1 to 15 digits)');
  }

  const nanaIds = text('nana_cus_id') === '' ? [] : splitList(text('nana_cus_id'));
  if (nanaIds.length === 0) err('nana_cus_id', 'REQUIRED', 'nana_cus_id is required');
  nanaIds.forEach((id, i) => {
    if (id === '') err('nana_cus_id', 'INVALID_NANA_ID', `nana_cus_id item ${i + 1} is empty`);
    else if (id.length > MAX_ID || CONTROL.test(id) || /\s/.test(id)) {
      err('nana_cus_id', 'INVALID_NANA_ID', `nana_cus_id item ${i + 1} must be at most ${MAX_ID} characters without spaces`);
    }
  });

  const genderText = text('gender').toUpperCase();
  if (genderText !== '' && genderText !== 'F' && genderText !== 'M') err('gender', 'INVALID_GENDER', 'gender must be F or M when present');

  const firstName = name(text('firstname'), 'firstname', err);
  const lastName = name(text('lastname'), 'lastname', err);

  const emails: string[] = [];
  if (text('email') !== '') {
    splitList(text('email')).forEach((item, i, all) => {
      const label = all.length > 1 ? `email item ${i + 1}` : 'email';
      const checked = normalizeEmail(item, label);
      if (checked.ok) emails.push(checked.value);
      else err('email', checked.error.code, checked.error.message);
    });
  }

  let dateOfBirth: string | null = null;
  if (text('date_of_birth') !== '') {
    const checked = parseIsoDate(text('date_of_birth'), 'date_of_birth', ctx.today);
    if (checked.ok) dateOfBirth = checked.value;
    else err('date_of_birth', checked.error.code, checked.error.message);
  }

  const phones: Phone[] = [];
  const phoneItems = splitPhoneList(raw.phone ?? '');
  if (phoneItems.length === 0) err('phone', 'REQUIRED', 'phone is required');
  phoneItems.forEach((item, i) => {
    const checked = normalizePhone(item, phoneItems.length > 1 ? `phone item ${i + 1}` : 'phone');
    if (!checked.ok) err('phone', checked.error.code, checked.error.message);
    else if (!phones.some((p) => p.e164 === checked.value.e164)) phones.push(checked.value);
  });

  const companies = parseCompanies(raw.company_name ?? '', err);

  const force = text('force_create').toUpperCase();
  if (force !== '' && force !== 'Y') err('force_create', 'INVALID_FORCE_CREATE', 'force_create must be Y or empty');

  if (errors.length > 0) return { ok: false, errors };
  const ids = [...new Set(nanaIds)];
  const content = { gender: genderText === '' ? null : (genderText as 'F' | 'M'), firstName, lastName, emails: [...new Set(emails)], dateOfBirth, phones, companies };
  return { ok: true, value: { key: nanaSyncKey(ids), hash: nanaContentHash(content), careosCusId, nanaIds: ids, ...content, forceCreate: force === 'Y' } };
}

/**
 * The record's identity in the sync history: its smallest Nana id (code-unit order). BI groups
 * one person's Nana ids into one record, so any of them names the record; the smallest does not
 * depend on the order BI lists them in, and stays when BI adds a newer lead to the group, so the
 * group's changes are still applied. Two records of one file sharing it are one key: the earlier wins.
 */
export function nanaSyncKey(nanaIds: string[]): string {
  return nanaIds.reduce((min, id) => (id < min ? id : min));
}

/**
 * Digest of what an `updated` record writes to its customer. Lists are sorted: a reordered cell
 * is no change. The ids are the key's business, and careos_cus_id and force_create are
 * instructions, not content: the Nana rule acts on them whatever the hash says.
 */
export function nanaContentHash(r: Pick<NanaRecord, 'firstName' | 'lastName' | 'gender' | 'dateOfBirth' | 'phones' | 'emails' | 'companies'>): string {
  return contentHash({
    firstName: r.firstName,
    lastName: r.lastName,
    gender: r.gender,
    dateOfBirth: r.dateOfBirth,
    phones: r.phones.map((p) => `${p.e164};${p.extension ?? ''}`).sort(),
    emails: [...r.emails].sort(),
    companies: [...r.companies].sort(),
  });
}

function splitList(value: string): string[] {
  return value.split(',').map((s) => s.trim());
}

function name(value: string, field: string, err: (f: string, c: string, m: string) => void): string {
  const clean = value.normalize('NFC').replace(/\s+/g, ' ');
  if (clean === '') err(field, 'REQUIRED', `${field} is required`);
  else if (clean.length > MAX_NAME) err(field, 'TOO_LONG', `${field} must be at most ${MAX_NAME} characters`);
  else if (CONTROL.test(clean)) err(field, 'INVALID_CHARACTERS', `${field} contains control characters`);
  return clean;
}

/** Company names arrive as one quoted, comma-separated list: "Rabbit Care Co., Ltd.", "ADB Co., Ltd.". */
function parseCompanies(value: string, err: (f: string, c: string, m: string) => void): string[] {
  if (value.trim() === '') return [];
  const names = splitQuotedList(value);
  if (!names) {
    err('company_name', 'INVALID_COMPANY_LIST', 'company_name must be a comma-separated list with names that contain commas in double quotes');
    return [];
  }
  return [...new Set(names.map((s) => s.normalize('NFC')).filter((s) => s !== ''))];
}

/**
 * Splits `"a, b", c` into [`a, b`, `c`] (CSV quoting: `""` is a quote inside a quoted name).
 * Null when a quote is left open or stands inside an unquoted name. Hand-written because a CSV
 * parser per cell costs more than the rest of the record's checks together.
 */
export function splitQuotedList(value: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  const skipSpaces = () => {
    while (value[i] === ' ' || value[i] === '\t') i++;
  };
  while (i < value.length) {
    skipSpaces();
    if (value[i] === '"') {
      let text = '';
      for (let j = i + 1; ; ) {
        const q = value.indexOf('"', j);
        if (q < 0) return null;
        text += value.slice(j, q);
        if (value[q + 1] === '"') {
          text += '"';
          j = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      out.push(text.trim());
      skipSpaces();
      if (i < value.length && value[i] !== ',') return null;
      i += 1;
    } else {
      const comma = value.indexOf(',', i);
      const end = comma < 0 ? value.length : comma;
      const token = value.slice(i, end);
      // A quote inside an unquoted name, or a line break between names: not one list.
      if (/["\r\n]/.test(token)) return null;
      out.push(token.trim());
      i = end + 1;
    }
  }
  return out;
}

export const nanaSource: SourceDefinition<NanaRecord> = {
  name: 'nana',
  label: 'Nana',
  description: 'Nana customer profiles cleaned by BI: several Nana ids and phones per record',
  columns,
  validate,
  templateRows: [
    { careos_cus_id: '', nana_cus_id: 'N10001,N10002', gender: 'F', firstname: 'Somsri', lastname: 'Jaidee', email: 'somsri@example.com', date_of_birth: '1988-04-12', phone: '081-234-5678, 02-123-4567', company_name: '"Rabbit Care Co., Ltd.", "Rabbit Internet Co., Ltd."', force_create: '' },
    { careos_cus_id: '', nana_cus_id: 'N10003', gender: 'M', firstname: 'Somchai', lastname: 'Dee', email: '', date_of_birth: '', phone: '+66 89 123 4567', company_name: '', force_create: 'Y' },
  ],
};
