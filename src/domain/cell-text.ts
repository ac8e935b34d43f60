import { REPORT_ESCAPE } from './formula-escape';

// Zero-width characters arrive by copy-paste and from reports that mark risky cells with U+200D;
// none of them is part of a phone number, an address or a date.
const ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff]/g;
// The error report (escapeFormula) puts ' before a formula-like value; REPORT_ESCAPE is greedy over
// the leading quotes and spaces, so the result is a fixed point.

/**
 * A cell value as the user meant it: zero-width characters and the error report's formula escape
 * removed, trimmed. Re-importing a corrected error report then reads the same values as the original file.
 */
export function cellText(raw: string): string {
  const text = raw.replace(ZERO_WIDTH, '').trim();
  return text.startsWith("'") ? text.replace(REPORT_ESCAPE, '').trim() : text;
}

const THAI_DIGIT_ZERO = 0x0e50;
const FULLWIDTH_DIGIT_ZERO = 0xff10;

/** Thai (๐-๙) and full-width digits to ASCII, so "๐๘๑-๒๓๔-๕๖๗๘" reads as 081-234-5678. */
export function asciiDigits(value: string): string {
  return value.replace(/[\u0e50-\u0e59\uff10-\uff19]/g, (d) => {
    const code = d.charCodeAt(0);
    const base = code >= FULLWIDTH_DIGIT_ZERO ? FULLWIDTH_DIGIT_ZERO : THAI_DIGIT_ZERO;
    return String(code - base);
  });
}
