import type { ProfileRecord } from '../shared/profile';
import type { ValidationResult } from '../source';
import { ATTRIBUTE_TARGET } from './mapping-rules';

/** Staged columns that carry the mapping's machinery, not a value an admin would recognise. */
const STAGED_ONLY = new Set(['attributes', 'rules']);

const attributeKeys = (targets: string[]) => targets.flatMap((t) => ATTRIBUTE_TARGET.exec(t)?.[1] ?? []);

/** The columns the mapping screen's preview shows: each custom attribute in a column of its own. */
export function previewColumns(stagedHeader: string[], targets: string[]): string[] {
  return [
    ...stagedHeader.filter((c) => !STAGED_ONLY.has(c)),
    ...attributeKeys(targets).map((key) => `attributes.${key}`),
  ];
}

/** A projected record's preview values: an attribute as it would be stored when the record is valid, as written otherwise. */
export function previewValues(
  staged: Record<string, string>,
  result: ValidationResult<ProfileRecord>,
  targets: string[],
): Record<string, string> {
  const written = staged.attributes ? (JSON.parse(staged.attributes) as Record<string, string>) : {};
  const stored = new Map((result.ok ? (result.value.attributes ?? []) : []).map((a) => [a.key, a.value]));
  const values = Object.fromEntries(Object.entries(staged).filter(([column]) => !STAGED_ONLY.has(column)));
  for (const key of attributeKeys(targets))
    values[`attributes.${key}`] = result.ok ? (stored.get(key) ?? '') : (written[key] ?? '');
  return values;
}
