import { describe, expect, it } from 'vitest';
import { normalizeEmail } from '../../src/domain/email';

describe('normalizeEmail', () => {
  it('accepts a plain address unchanged', () => {
    expect(normalizeEmail('somsri@example.com')).toEqual({ ok: true, value: 'somsri@example.com' });
  });

  it('trims surrounding whitespace', () => {
    expect(normalizeEmail('  somsri@example.com \t')).toEqual({ ok: true, value: 'somsri@example.com' });
  });

  it('lower-cases the address', () => {
    expect(normalizeEmail('Somsri.Jaidee@Example.COM')).toEqual({ ok: true, value: 'somsri.jaidee@example.com' });
  });

  it('strips zero-width characters pasted into the address', () => {
    expect(normalizeEmail('som\u200bsri@exam\u200dple.com\ufeff')).toEqual({ ok: true, value: 'somsri@example.com' });
  });

  it('accepts plus-addressing and subdomains', () => {
    expect(normalizeEmail('somsri+crm@mail.example.co.th')).toEqual({
      ok: true,
      value: 'somsri+crm@mail.example.co.th',
    });
  });

  it('accepts an address written in Thai script', () => {
    expect(normalizeEmail('สมศรี@ตัวอย่าง.ไทย')).toEqual({ ok: true, value: 'สมศรี@ตัวอย่าง.ไทย' });
  });

  it('rejects a mailto: link with a message that says so', () => {
    expect(normalizeEmail('mailto:somsri@example.com')).toMatchObject({
      ok: false,
      error: { field: 'email', code: 'INVALID_EMAIL', message: 'email must be a bare address, not a mailto: link' },
    });
  });

  it('rejects a MAILTO: link written in capitals', () => {
    expect(normalizeEmail('MAILTO:somsri@example.com')).toMatchObject({ ok: false, error: { code: 'INVALID_EMAIL' } });
  });

  it.each([
    'somsri@example.com anan@example.com',
    'somsri@example.com,anan@example.com',
    'somsri@example.com;anan@example.com',
  ])('rejects two addresses in one value: %j', (raw) => {
    expect(normalizeEmail(raw)).toMatchObject({ ok: false, error: { code: 'INVALID_EMAIL' } });
  });

  it.each([
    ['a domain without a dot', 'somsri@localhost'],
    ['no @', 'somsri.example.com'],
    ['two @', 'somsri@@example.com'],
    ['nothing before @', '@example.com'],
    ['a one-letter top-level domain', 'somsri@example.c'],
    ['a display name', 'Somsri <somsri@example.com>'],
    ['an empty value', ''],
  ])('rejects an address with %s', (_label, raw) => {
    expect(normalizeEmail(raw)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_EMAIL', message: 'email is not a valid email address' },
    });
  });

  it('rejects an address longer than 254 characters', () => {
    const raw = `${'a'.repeat(64)}@${'b'.repeat(190)}.com`;
    expect(raw.length).toBeGreaterThan(254);
    expect(normalizeEmail(raw)).toMatchObject({ ok: false, error: { code: 'INVALID_EMAIL' } });
  });

  it('names the given field and leaves the value out of the message', () => {
    const result = normalizeEmail('sentinel@@example.org', 'email item 2');
    expect(result).toMatchObject({
      ok: false,
      error: { field: 'email item 2', message: expect.stringContaining('email item 2') },
    });
    expect(!result.ok && result.error.message).not.toContain('sentinel');
  });
});
