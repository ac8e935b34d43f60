import { cellText } from '../../domain/cell-text';
import { normalizeEmail } from '../../domain/email';
import { localeOf } from '../../domain/import-locale';
import { normalizePhone } from '../../domain/phone';
import { MAPPED_COLUMNS } from './mapping';
import { mappedAttributes, mappedTotalSales, stagedRules } from './mapped-extras';
import { DUPLICATE_STRATEGIES, type ProfileRecord } from '../shared/profile';
import type { SourceDefinition, ValidationContext, ValidationResult } from '../source';
import {
  contentHash,
  gender,
  legacyId,
  parseDate,
  personName,
  Problems,
  splitFullName,
  type DateFormat,
} from '../shared/values';

const DESCRIPTIONS: Record<(typeof MAPPED_COLUMNS)[number], string> = {
  external_id: 'Id of the record in the system it comes from; linked in customer_relations under "mapped"',
  first_name: 'First name',
  last_name: 'Last name',
  full_name: 'Full name; split at the first space when first_name is not mapped',
  gender: 'F or M',
  date_of_birth: 'A date in the layout the mapping declares (YYYY-MM-DD, MM/DD/YYYY, DD/MM/YYYY; Buddhist-era years)',
  phone: "One phone number, read in the import's region unless it starts with +",
  email: 'One email address',
  total_sales:
    'A money amount: thousands separators allowed; the currency its symbol or code names ($ USD, ฿ THB, …) is kept in customer_amounts',
  date_format: 'Set by the mapping: the layout of date_of_birth',
  attributes: 'Set by the mapping: the values of its attributes.<key> targets',
  rules: 'Set by the mapping: how attributes are read, the default currency and fixed rates',
};

const EXAMPLE: Record<string, string> = {
  external_id: 'C-001',
  full_name: 'Anong Boonmee',
  gender: 'F',
  date_of_birth: '04/12/1988',
  phone: '0812345678',
  email: 'anong@example.com',
  total_sales: '$1,234.50',
  date_format: 'MM/DD/YYYY',
};

function validate(raw: Record<string, string>, ctx: ValidationContext): ValidationResult<ProfileRecord> {
  const p = new Problems();
  const id = p.take(legacyId(raw.external_id ?? '', 'external_id'), null);
  const full = p.take(personName(raw.full_name ?? '', 'full_name', false), '');
  let firstName = p.take(personName(raw.first_name ?? '', 'first_name', false), '');
  let lastName = p.take(personName(raw.last_name ?? '', 'last_name', false), '');
  if (firstName === '' && full !== '') ({ firstName, lastName } = splitFullName(full));
  if (firstName === '')
    p.add(raw.full_name !== undefined ? 'full_name' : 'first_name', 'REQUIRED', 'a name is required');
  const g = p.take(gender(raw.gender ?? ''), null);
  const [layout, era] = (raw.date_format ?? 'YYYY-MM-DD').split(' ');
  const dobText = cellText(raw.date_of_birth ?? '');
  const dateOfBirth =
    dobText === ''
      ? null
      : p.take(parseDate(dobText, 'date_of_birth', ctx.today, layout as DateFormat, era === 'BE'), null);
  const phoneText = cellText(raw.phone ?? '');
  const phone = phoneText === '' ? null : p.take(normalizePhone(phoneText, 'phone', localeOf(ctx).region), null);
  const emailText = cellText(raw.email ?? '');
  const email = emailText === '' ? null : p.take(normalizeEmail(emailText, 'email'), null);
  const rules = stagedRules(raw);
  const amounts = mappedTotalSales(cellText(raw.total_sales ?? ''), rules, p);
  const attributes = mappedAttributes(raw, rules, p, ctx.today);
  if (!id && !phone && !email && p.errors.length === 0)
    p.add('*', 'NO_IDENTITY', 'a record needs an external_id, a phone or an email');
  if (p.errors.length > 0) return { ok: false, errors: p.errors };
  const content = { id, firstName, lastName, g, dateOfBirth, phone: phone?.e164 ?? null, email, amounts, attributes };
  return {
    ok: true,
    value: {
      key: id ?? (phone ? `phone:${phone.e164}` : `email:${email}`),
      hash: contentHash(content),
      firstName,
      lastName,
      gender: g,
      dateOfBirth,
      phones: phone ? [phone] : [],
      emails: email ? [email] : [],
      address: null,
      nationalIdHash: null,
      legacyId: id,
      amounts,
      attributes,
    },
  };
}

export const mappedSource: SourceDefinition<ProfileRecord> = {
  name: 'mapped',
  duplicateStrategies: DUPLICATE_STRATEGIES,
  label: 'Mapped file',
  description:
    'Any CSV or Excel file with a saved column mapping (option mappingId); duplicates by legacy id, email or phone follow `duplicates`',
  columns: MAPPED_COLUMNS.map((name) => ({
    name,
    required: false,
    aliases: [],
    description: DESCRIPTIONS[name],
    example: EXAMPLE[name] ?? '',
  })),
  validate,
  templateRows: [Object.fromEntries(MAPPED_COLUMNS.map((n) => [n, EXAMPLE[n] ?? '']))],
};
