/**
 * The Thai numbers that libphonenumber-js/max judges valid, as one expression over the national
 * significant number (without the trunk 0 or +66), copied from the TH types in its metadata.max.json
 * (libphonenumber-js 1.13.16):
 *   fixed line (8 digits) (?:1[0689]|2\d|3[2-9]|4[2-5]|5[2-6]|7[3-7])\d{6}
 *   mobile     (9 digits) (?:(?:14|[89]\d)\d\d|6(?:[1-6]\d\d|7(?:1[0-8]|2[4-7]|3[1-6])))\d{5}
 *   VoIP       (9 digits) 6[08]\d{7}
 * restricted to the shapes the importer sees most: mobiles and VoIP numbers starting 6, 8 or 9 and
 * landlines starting 2 to 7. Everything else (1xxx, foreign, odd lengths) goes to libphonenumber.
 * phone-fast-path.test.ts fails when the metadata changes, and proves equality on every prefix.
 */
const THAI_MOBILE = '(?:[89]\\d{3}|6(?:[0-68]\\d\\d|7(?:1[0-8]|2[4-7]|3[1-6])))\\d{5}';
const THAI_LANDLINE = '(?:2\\d|3[2-9]|4[2-5]|5[2-6]|7[3-7])\\d{6}';
const THAI_FAST = new RegExp(`^(?:0|\\+66)(${THAI_MOBILE}|${THAI_LANDLINE})$`);

/** The metadata patterns the expression above was derived from, for the drift check. */
export const THAI_METADATA_SOURCE = {
  libphonenumberVersion: '1.13.16',
  fixedLine: '(?:1[0689]|2\\d|3[2-9]|4[2-5]|5[2-6]|7[3-7])\\d{6}',
  mobile: '(?:(?:14|[89]\\d)\\d\\d|6(?:[1-6]\\d\\d|7(?:1[0-8]|2[4-7]|3[1-6])))\\d{5}',
  voip: '6[08]\\d{7}',
} as const;

/**
 * E.164 for a compacted Thai number ("0812345678", "+6621234567") in one of the common shapes
 * libphonenumber-js accepts, or null when libphonenumber has to decide.
 */
export function thaiFastE164(compact: string): string | null {
  const m = THAI_FAST.exec(compact);
  return m ? `+66${m[1]}` : null;
}
