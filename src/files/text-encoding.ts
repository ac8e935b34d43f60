export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-874';

export function isUtf16(encoding: TextEncoding | null | undefined): boolean {
  return encoding === 'utf-16le' || encoding === 'utf-16be';
}
