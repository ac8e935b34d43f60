// The survivor's fields as a merge sets them. The rule mirrors the api's survivorFields
// (src/domain/dedupe/survivor-fields.ts): what the screen says a merge will do is what it does.

/** The fields a merge's `choices` accept, in the order the screen shows them. */
export const MERGE_FIELDS = [
  { key: 'firstName', label: 'First name' },
  { key: 'lastName', label: 'Last name' },
  { key: 'gender', label: 'Gender' },
  { key: 'dateOfBirth', label: 'Birth date' },
];

/** The api's default rule comes first. */
export const MERGE_RULES = [
  {
    value: 'fill_blanks',
    label: 'Fill the blanks',
    help: 'The survivor keeps its own values; each one it leaves empty comes from the first other customer that has it, in the order shown.',
  },
  {
    value: 'survivor_wins',
    label: 'Survivor wins',
    help: 'The survivor keeps all its own values, the empty ones too.',
  },
];
export const DEFAULT_RULE = MERGE_RULES[0].value;

export function ruleLabel(value) {
  return MERGE_RULES.find((r) => r.value === value)?.label ?? value;
}

const blank = (value) => value === null || value === undefined || String(value).trim() === '';

/** The customer whose value the rule gives the survivor for one field (`others` in the group's order). */
export function ruleSource(field, survivor, others, rule) {
  if (rule === 'fill_blanks' && blank(survivor[field])) return others.find((c) => !blank(c[field])) ?? survivor;
  return survivor;
}

export function shownValue(value) {
  return blank(value) ? '(empty)' : String(value);
}
