import { cellText } from '../../domain/cell-text';
import { normalizeEmail } from '../../domain/email';
import { normalizePhone, type Phone } from '../../domain/phone';
import type { ProfileRecord } from '../shared/profile';
import type { SourceDefinition, ValidationResult } from '../source';
import { contentHash, legacyId, personName, Problems } from '../shared/values';

const columns = [
  {
    name: 'careshop_id',
    required: false,
    aliases: ['customer_id', 'careshop_customer_id', 'id'],
    description: "Care Shop customer id (optional): the record's key in the sync history, linked in customer_relations",
    example: 'CS-1001',
  },
  {
    name: 'firstname',
    required: true,
    aliases: ['first_name', 'given_name'],
    description: 'First name',
    example: 'Suda',
  },
  {
    name: 'lastname',
    required: true,
    aliases: ['last_name', 'surname', 'family_name'],
    description: 'Last name',
    example: 'Rakdee',
  },
  {
    name: 'mobile_phone',
    required: true,
    aliases: ['mobile', 'phone', 'mobile_number', 'phone_number'],
    description: 'One Thai mobile number (06, 08 or 09 followed by 8 digits)',
    example: '081-234-5678',
  },
  {
    name: 'email',
    required: false,
    aliases: ['email_address'],
    description: 'One email address',
    example: 'suda@example.com',
  },
];

/** Thai mobile numbers: +66 then 6, 8 or 9 and eight more digits (Wikipedia, "Telephone numbers in Thailand"). */
const THAI_MOBILE = /^\+66[689]\d{8}$/;

export function thaiMobile(
  raw: string,
  field: string,
): { ok: true; value: Phone } | { ok: false; error: { field: string; code: string; message: string } } {
  if (cellText(raw) === '') return { ok: false, error: { field, code: 'REQUIRED', message: `${field} is required` } };
  const phone = normalizePhone(raw, field);
  if (!phone.ok) return phone;
  if (!THAI_MOBILE.test(phone.value.e164))
    return {
      ok: false,
      error: { field, code: 'NOT_THAI_MOBILE', message: `${field} must be a Thai mobile number (06, 08 or 09)` },
    };
  return phone;
}

function validate(raw: Record<string, string>): ValidationResult<ProfileRecord> {
  const p = new Problems();
  const id = p.take(legacyId(raw.careshop_id ?? '', 'careshop_id'), null);
  const firstName = p.take(personName(raw.firstname ?? '', 'firstname', true), '');
  const lastName = p.take(personName(raw.lastname ?? '', 'lastname', true), '');
  const phone = p.take(thaiMobile(raw.mobile_phone ?? '', 'mobile_phone'), null);
  const emailText = cellText(raw.email ?? '');
  const email = emailText === '' ? null : p.take(normalizeEmail(emailText, 'email'), null);
  if (p.errors.length > 0 || !phone) return { ok: false, errors: p.errors };
  const content = { firstName, lastName, phone: phone.e164, extension: phone.extension, email };
  return {
    ok: true,
    value: {
      // Without a Care Shop id, the phone and the name are what identifies the record.
      key: id ?? `${phone.e164}|${firstName}|${lastName}`,
      hash: contentHash(content),
      firstName,
      lastName,
      gender: null,
      dateOfBirth: null,
      phones: [phone],
      emails: email ? [email] : [],
      address: null,
      nationalIdHash: null,
      legacyId: id,
      amounts: [],
    },
  };
}

export const careshopSource: SourceDefinition<ProfileRecord> = {
  name: 'careshop',
  label: 'Care Shop',
  description: 'Rabbit Care Shop customers: one Thai mobile and one email per record; waits while a Nana import runs',
  columns,
  validate,
  templateRows: [
    {
      careshop_id: 'CS-1001',
      firstname: 'Suda',
      lastname: 'Rakdee',
      mobile_phone: '081-234-5678',
      email: 'suda@example.com',
    },
    { careshop_id: 'CS-1002', firstname: 'Preecha', lastname: 'Sookjai', mobile_phone: '0991234567', email: '' },
  ],
};
