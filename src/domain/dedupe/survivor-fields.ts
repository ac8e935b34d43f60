/** The customer columns a merge may fill on the survivor; everything else moves as rows. */
export const MERGEABLE_FIELDS = ['firstName', 'lastName', 'gender', 'dateOfBirth'] as const;
export type MergeableField = (typeof MERGEABLE_FIELDS)[number];

export type CustomerFields = { id: number } & Record<MergeableField, string | null>;

/**
 * The survivor's values after a merge. `survivor_wins` keeps its own; `fill_blanks` takes, for each
 * field the survivor leaves empty, the first merged customer's value that is not (in the order the
 * admin listed them). A choice names, per field, the customer whose value the survivor takes, and
 * overrides either rule. Returns only the fields that change.
 */
export function survivorFields(
  survivor: CustomerFields,
  merged: readonly CustomerFields[],
  rule: 'survivor_wins' | 'fill_blanks',
  choices: Partial<Record<MergeableField, number>> = {},
): Partial<Record<MergeableField, string | null>> {
  const changes: Partial<Record<MergeableField, string | null>> = {};
  const blank = (v: string | null) => v === null || v.trim() === '';
  for (const field of MERGEABLE_FIELDS) {
    const chosen = choices[field];
    let value = survivor[field];
    if (chosen !== undefined) {
      const from = [survivor, ...merged].find((c) => c.id === chosen);
      if (!from) throw new RangeError(`choice for ${field} names customer ${chosen}, who is not in the merge`);
      value = from[field];
    } else if (rule === 'fill_blanks' && blank(value)) {
      value = merged.map((c) => c[field]).find((v) => !blank(v)) ?? value;
    }
    if (value !== survivor[field]) changes[field] = value;
  }
  return changes;
}
