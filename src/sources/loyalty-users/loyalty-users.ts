import { cellText } from '../../domain/cell-text';
import { normalizeEmail } from '../../domain/email';
import { readLocalDate } from '../../domain/date-order';
import { localeOf } from '../../domain/import-locale';
import { checkNationalId, nationalIdExamples, nationalIdKind, schemeNationalIdHash } from '../../domain/national-id';
import { DEVELOPMENT_NATIONAL_ID_KEY } from '../../domain/national-id-hash';
import { thaiMobile } from '../careshop/careshop';
import { normalizePhone, type Phone } from '../../domain/phone';
import type { Region } from '../../domain/region';
import type { Checked } from '../../domain/row-error';
import { DUPLICATE_STRATEGIES, type ProfileRecord } from '../shared/profile';
import type { SourceDefinition, ValidationContext, ValidationResult } from '../source';
import { contentHash, gender, legacyId, personName, Problems, splitFullName } from '../shared/values';

const columns = [
  {
    name: 'name',
    required: true,
    aliases: ['full_name', 'customer_name'],
    description: 'Full name; split at the first space into first and last name',
    example: 'Malee Srisuk',
  },
  {
    name: 'email',
    required: true,
    aliases: ['email_address'],
    description: 'One email address',
    example: 'malee@example.com',
  },
  {
    name: 'mobile',
    required: true,
    aliases: ['mobile_phone', 'phone'],
    description: "One phone number, read in the import's region unless it starts with + (stored E.164)",
    example: '089-123-4567',
  },
  {
    name: 'nric',
    required: false,
    aliases: ['national_id', 'id_number', 'citizen_id'],
    description: `National id in the import's scheme (nationalIdScheme, default the region's); stored only as a hash. ${nationalIdExamples()}`,
    example: '1101700230708',
  },
  {
    name: 'dob',
    required: false,
    aliases: ['date_of_birth', 'birth_date'],
    description: 'yyyy-mm-dd, or d/m/yyyy in the order the import declares (dateOrder)',
    example: '1990-01-31',
  },
  { name: 'gender', required: false, aliases: ['sex'], description: 'M or F', example: 'F' },
  {
    name: 'address',
    required: false,
    aliases: ['street', 'street_address'],
    description: 'Street address',
    example: '99/1 Sukhumvit Rd',
  },
  { name: 'city', required: false, aliases: ['province'], description: 'City', example: 'Bangkok' },
  {
    name: 'postcode',
    required: false,
    aliases: ['postal_code', 'zip', 'zipcode'],
    description: 'Postal code (5 digits in Thailand; kept as text)',
    example: '10110',
  },
  {
    name: 'old_member_id',
    required: false,
    aliases: ['member_id', 'legacy_id'],
    description: 'Legacy member id, linked in customer_relations; points and purchases resolve member_id through it',
    example: 'M-0001',
  },
];

function validate(raw: Record<string, string>, ctx: ValidationContext): ValidationResult<ProfileRecord> {
  const p = new Problems();
  const locale = localeOf(ctx);
  const full = p.take(personName(raw.name ?? '', 'name', true), '');
  const email =
    cellText(raw.email ?? '') === ''
      ? (p.add('email', 'REQUIRED', 'email is required'), '')
      : p.take(normalizeEmail(raw.email ?? '', 'email'), '');
  const mobileText = raw.mobile ?? '';
  const mobile = p.take(memberMobile(mobileText, locale.region), null);
  const nid = p.take(checkNationalId(raw.nric ?? '', locale.nationalIdScheme, 'nric'), null);
  const dobText = cellText(raw.dob ?? '');
  const dateOfBirth =
    dobText === '' ? null : p.take(readLocalDate(dobText, 'dob', ctx.today, locale.dateOrder, locale.dateEra), null);
  const g = p.take(gender(raw.gender ?? ''), null);
  const id = p.take(legacyId(raw.old_member_id ?? '', 'old_member_id'), null);
  const address = { address: text(raw.address), city: text(raw.city), postcode: text(raw.postcode) };
  if (address.postcode && !/^[0-9A-Za-z -]{3,10}$/.test(address.postcode))
    p.add('postcode', 'INVALID_POSTCODE', 'postcode must be 3 to 10 letters or digits');
  if (p.errors.length > 0 || !mobile) return { ok: false, errors: p.errors };
  const { firstName, lastName } = splitFullName(full);
  // The content hash below covers the keyed digest, never the clear id: sync_history keeps that hash.
  const nationalId =
    nid === null
      ? null
      : schemeNationalIdHash(locale.nationalIdScheme, nid, ctx.nationalIdKey ?? DEVELOPMENT_NATIONAL_ID_KEY);
  const hasAddress = address.address !== null || address.city !== null || address.postcode !== null;
  const content = { full, email, mobile: mobile.e164, nationalId, dateOfBirth, g, address, id };
  return {
    ok: true,
    value: {
      key: id ?? `mobile:${mobile.e164}`,
      hash: contentHash(content),
      firstName,
      lastName,
      gender: g,
      dateOfBirth,
      phones: [mobile],
      emails: [email],
      address: hasAddress ? address : null,
      nationalIdHash: nationalId,
      nationalIdKind: nationalIdKind(locale.nationalIdScheme),
      legacyId: id,
      amounts: [],
    },
  };
}

/** A number with its country code, or one of the import's region (Thai mobiles and landlines in Thailand). */
function memberMobile(raw: string, region: Region): Checked<Phone> {
  const text = cellText(raw);
  if (text === '') return { ok: false, error: { field: 'mobile', code: 'REQUIRED', message: 'mobile is required' } };
  return text.startsWith('+') || region !== 'TH' ? normalizePhone(raw, 'mobile', region) : thaiMobileOrLine(raw);
}

/** Loyalty members are reached on their mobile, but a Thai landline is accepted as a valid number too. */
function thaiMobileOrLine(raw: string) {
  const mobile = thaiMobile(raw, 'mobile');
  return mobile.ok || mobile.error.code !== 'NOT_THAI_MOBILE' ? mobile : normalizePhone(raw, 'mobile');
}

function text(raw: string | undefined): string | null {
  const t = cellText(raw ?? '')
    .normalize('NFC')
    .replace(/\s+/g, ' ');
  return t === '' ? null : t.slice(0, 500);
}

export const loyaltyUsersSource: SourceDefinition<ProfileRecord> = {
  name: 'loyalty-users',
  duplicateStrategies: DUPLICATE_STRATEGIES,
  label: 'Loyalty users',
  description:
    "Loyalty CRM members; duplicates by email, mobile or national id follow the import's `duplicates` option",
  columns,
  validate,
  templateRows: [
    {
      name: 'Malee Srisuk',
      email: 'malee@example.com',
      mobile: '089-123-4567',
      nric: '1101700230708',
      dob: '1990-01-31',
      gender: 'F',
      address: '99/1 Sukhumvit Rd',
      city: 'Bangkok',
      postcode: '10110',
      old_member_id: 'M-0001',
    },
  ],
};
