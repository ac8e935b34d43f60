/**
 * Titles stripped from names before they are compared, lower case and without dots (`น.ส.` and
 * `Mrs.` lose theirs first). Thai titles are often written against the name (`นายสมชาย`): those
 * are taken off the front of a token too, when at least two letters remain.
 */
export const NAME_TITLES = [
  'mr',
  'mrs',
  'ms',
  'miss',
  'dr',
  'khun',
  'นาย',
  'นาง',
  'นางสาว',
  'นส',
  'คุณ',
  'ดช',
  'ดญ',
] as const;
export const ATTACHED_THAI_TITLES = ['นางสาว', 'นาย', 'นาง', 'คุณ'] as const;
