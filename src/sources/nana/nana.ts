import { normalizeEmail } from '../../domain/email';
import { parseIsoDate } from '../../domain/date';
import { localeOf } from '../../domain/import-locale';
import { normalizePhone, splitPhoneList, type Phone } from '../../domain/phone';
import type { Region } from '../../domain/region';
import type { RowError } from '../../domain/row-error';
import type { SourceDefinition, ValidationContext, ValidationResult } from '../source';
import { contentHash } from '../shared/values';

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
  {
    name: 'careos_cus_id',
    required: false,
    aliases: ['careos_id', 'careos_customer_id'],
    description: 'Existing CareOS customer id to link every Nana id to; empty creates a profile',
    example: '',
  },
  {
    name: 'nana_cus_id',
    required: true,
    aliases: ['nana_id', 'nana_customer_id'],
    description: 'Nana customer ids, comma-separated',
    example: 'N10001,N10002',
  },
  { name: 'gender', required: false, aliases: ['sex'], description: 'F or M, or empty', example: 'F' },
  {
    name: 'firstname',
    required: true,
    aliases: ['first_name', 'given_name'],
    description: 'First name',
    example: 'Somsri',
  },
  {
    name: 'lastname',
    required: true,
    aliases: ['last_name', 'surname', 'family_name'],
    description: 'Last name',
    example: 'Jaidee',
  },
  {
    name: 'email',
    required: false,
    aliases: ['email_address', 'emails'],
    description: 'Email addresses, comma-separated',
    example: 'somsri@example.com',
  },
  {
    name: 'date_of_birth',
    required: false,
    aliases: ['dob', 'birth_date', 'birthdate'],
    description: 'yyyy-mm-dd',
    example: '1988-04-12',
  },
  {
    name: 'phone',
    required: true,
    aliases: ['phones', 'phone_number', 'mobile', 'telephone'],
    description: 'Phone numbers, comma-separated',
    example: '081-234-5678, 02-123-4567',
  },
  {
    name: 'company_name',
    required: false,
    aliases: ['company', 'companies', 'company_names'],
    description: 'Quoted comma-separated company names',
    example: '"Rabbit Care Co., Ltd.", "Rabbit Internet Co., Ltd."',
  },
  {
    name: 'force_create',
    required: false,
    aliases: ['force'],
    description: 'Y creates a profile even when a phone already belongs to a customer',
    example: '',
  },
];

const MAX_NAME = 200;
const MAX_ID = 64;
// At most 15 digits: every such id is exact as a JavaScript number.
const CUSTOMER_ID = /^[1-9]\d{0,14}$/;
const CONTROL = /[\u0000-\u001f\u007f]/;
const SPACE = /\s/;
const SPACES = /\s+/g;
const QUOTE_OR_BREAK = /["\r\n]/;

// validate runs twice on every staged record, so it defines no named closures: under tsx each one
// costs a keepNames (__name) call per record. The helpers below take `errors` instead.
function validate(raw: Record<string, string>, ctx: ValidationContext): ValidationResult<NanaRecord> {
  const errors: RowError[] = [];
  const careosCusId = customerId(cell(raw.careos_cus_id), errors);
  const nanaIds = nanaIdList(cell(raw.nana_cus_id), errors);

  const genderText = cell(raw.gender).toUpperCase();
  if (genderText !== '' && genderText !== 'F' && genderText !== 'M')
    addError(errors, 'gender', 'INVALID_GENDER', 'gender must be F or M when present');

  const firstName = name(cell(raw.firstname), 'firstname', errors);
  const lastName = name(cell(raw.lastname), 'lastname', errors);
  const emails = emailList(cell(raw.email), errors);
  const dateOfBirth = birthDate(cell(raw.date_of_birth), ctx.today, errors);
  const phones = phoneList(raw.phone ?? '', errors, localeOf(ctx).region);
  const companies = parseCompanies(raw.company_name ?? '', errors);

  const force = cell(raw.force_create).toUpperCase();
  if (force !== '' && force !== 'Y')
    addError(errors, 'force_create', 'INVALID_FORCE_CREATE', 'force_create must be Y or empty');

  if (errors.length > 0) return { ok: false, errors };
  const ids = unique(nanaIds);
  const gender = genderText === '' ? null : (genderText as 'F' | 'M');
  const value: NanaRecord = {
    key: nanaSyncKey(ids),
    hash: '',
    careosCusId,
    nanaIds: ids,
    gender,
    firstName,
    lastName,
    emails: unique(emails),
    dateOfBirth,
    phones,
    companies,
    forceCreate: force === 'Y',
  };
  if (ctx.digests !== false) value.hash = nanaContentHash(value);
  return { ok: true, value };
}

function cell(value: string | undefined): string {
  return (value ?? '').trim();
}

function addError(errors: RowError[], field: string, code: string, message: string): void {
  errors.push({ field, code, message });
}

function customerId(text: string, errors: RowError[]): number | null {
  if (text === '') return null;
  if (CUSTOMER_ID.test(text)) return Number(text);
  addError(
    errors,
    'careos_cus_id',
    'INVALID_CUSTOMER_ID',
    'careos_cus_id must be a CareOS customer id (1 to 15 digits)',
  );
  return null;
}

/** Every id as written, duplicates included: validate removes them once the record is valid. */
function nanaIdList(text: string, errors: RowError[]): string[] {
  const ids = text === '' ? [] : splitList(text);
  if (ids.length === 0) addError(errors, 'nana_cus_id', 'REQUIRED', 'nana_cus_id is required');
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (id === '') addError(errors, 'nana_cus_id', 'INVALID_NANA_ID', `nana_cus_id item ${i + 1} is empty`);
    else if (id.length > MAX_ID || CONTROL.test(id) || SPACE.test(id)) {
      addError(
        errors,
        'nana_cus_id',
        'INVALID_NANA_ID',
        `nana_cus_id item ${i + 1} must be at most ${MAX_ID} characters without spaces`,
      );
    }
  }
  return ids;
}

function emailList(text: string, errors: RowError[]): string[] {
  const emails: string[] = [];
  if (text === '') return emails;
  const items = splitList(text);
  for (let i = 0; i < items.length; i++) {
    const checked = normalizeEmail(items[i], items.length > 1 ? `email item ${i + 1}` : 'email');
    if (checked.ok) emails.push(checked.value);
    else addError(errors, 'email', checked.error.code, checked.error.message);
  }
  return emails;
}

function birthDate(text: string, today: string, errors: RowError[]): string | null {
  if (text === '') return null;
  const checked = parseIsoDate(text, 'date_of_birth', today);
  if (checked.ok) return checked.value;
  addError(errors, 'date_of_birth', checked.error.code, checked.error.message);
  return null;
}

/** The valid phones, the first of each E.164 number kept. */
function phoneList(cellValue: string, errors: RowError[], region: Region): Phone[] {
  const phones: Phone[] = [];
  const items = splitPhoneList(cellValue);
  if (items.length === 0) addError(errors, 'phone', 'REQUIRED', 'phone is required');
  for (let i = 0; i < items.length; i++) {
    const checked = normalizePhone(items[i], items.length > 1 ? `phone item ${i + 1}` : 'phone', region);
    if (!checked.ok) addError(errors, 'phone', checked.error.code, checked.error.message);
    else if (!hasPhone(phones, checked.value.e164)) phones.push(checked.value);
  }
  return phones;
}

function hasPhone(phones: Phone[], e164: string): boolean {
  for (const p of phones) if (p.e164 === e164) return true;
  return false;
}

/** The items in first-seen order without repeats. A scan beats a Set for a cell's few items; a long cell keeps the Set. */
function unique(items: string[]): string[] {
  if (items.length > 16) return [...new Set(items)];
  const out: string[] = [];
  for (const item of items) if (!out.includes(item)) out.push(item);
  return out;
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
export function nanaContentHash(
  r: Pick<NanaRecord, 'firstName' | 'lastName' | 'gender' | 'dateOfBirth' | 'phones' | 'emails' | 'companies'>,
): string {
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
  const items = value.split(',');
  for (let i = 0; i < items.length; i++) items[i] = items[i].trim();
  return items;
}

function name(value: string, field: string, errors: RowError[]): string {
  const clean = value.normalize('NFC').replace(SPACES, ' ');
  if (clean === '') addError(errors, field, 'REQUIRED', `${field} is required`);
  else if (clean.length > MAX_NAME)
    addError(errors, field, 'TOO_LONG', `${field} must be at most ${MAX_NAME} characters`);
  else if (CONTROL.test(clean)) addError(errors, field, 'INVALID_CHARACTERS', `${field} contains control characters`);
  return clean;
}

/** Company names arrive as one quoted, comma-separated list: "Rabbit Care Co., Ltd.", "ADB Co., Ltd.". */
function parseCompanies(value: string, errors: RowError[]): string[] {
  if (value.trim() === '') return [];
  const names = splitQuotedList(value);
  if (!names) {
    addError(
      errors,
      'company_name',
      'INVALID_COMPANY_LIST',
      'company_name must be a comma-separated list with names that contain commas in double quotes',
    );
    return [];
  }
  const companies: string[] = [];
  for (const written of names) {
    const company = written.normalize('NFC');
    if (company !== '') companies.push(company);
  }
  return unique(companies);
}

/**
 * Splits `"a, b", c` into [`a, b`, `c`] (CSV quoting: `""` is a quote inside a quoted name).
 * Null when a quote is left open or stands inside an unquoted name. Hand-written because a CSV
 * parser per cell costs more than the rest of the record's checks together.
 */
export function splitQuotedList(value: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  while (i < value.length) {
    i = skipSpaces(value, i);
    if (value[i] === '"') {
      let text = '';
      for (let j = i + 1; ;) {
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
      i = skipSpaces(value, i);
      if (i < value.length && value[i] !== ',') return null;
      i += 1;
    } else {
      const comma = value.indexOf(',', i);
      const end = comma < 0 ? value.length : comma;
      const token = value.slice(i, end);
      // A quote inside an unquoted name, or a line break between names: not one list.
      if (QUOTE_OR_BREAK.test(token)) return null;
      out.push(token.trim());
      i = end + 1;
    }
  }
  return out;
}

/** The index of the first character at or after `i` that is not a space or tab. */
function skipSpaces(value: string, i: number): number {
  while (value[i] === ' ' || value[i] === '\t') i++;
  return i;
}

export const nanaSource: SourceDefinition<NanaRecord> = {
  name: 'nana',
  label: 'Nana',
  description: 'Nana customer profiles cleaned by BI: several Nana ids and phones per record',
  columns,
  validate,
  templateRows: [
    {
      careos_cus_id: '',
      nana_cus_id: 'N10001,N10002',
      gender: 'F',
      firstname: 'Somsri',
      lastname: 'Jaidee',
      email: 'somsri@example.com',
      date_of_birth: '1988-04-12',
      phone: '081-234-5678, 02-123-4567',
      company_name: '"Rabbit Care Co., Ltd.", "Rabbit Internet Co., Ltd."',
      force_create: '',
    },
    {
      careos_cus_id: '',
      nana_cus_id: 'N10003',
      gender: 'M',
      firstname: 'Somchai',
      lastname: 'Dee',
      email: '',
      date_of_birth: '',
      phone: '+66 89 123 4567',
      company_name: '',
      force_create: 'Y',
    },
  ],
};
