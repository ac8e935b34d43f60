import { z } from 'zod';
import { headerKey } from '../../domain/columns';
import { NATIONAL_ID_SCHEMES } from '../../domain/national-id';
import { regionSchema } from '../../domain/region';
import { ATTRIBUTE_TARGET, mappedRules, ruleProperties, targetProblems } from './mapping-rules';

/** One customer field of a mapping: where its value comes from, and how it is read. */
const fieldSpec = z
  .object({
    /** A column of the file (matched like header cells: trimmed, case-folded). */
    column: z.string().min(1).max(200).optional(),
    /** Columns joined with `separator` (default one space), empty parts left out: First_Name + Last_Name. */
    join: z.array(z.string().min(1).max(200)).min(1).max(10).optional(),
    separator: z.string().max(5).optional(),
    /** The same value for every record. */
    constant: z.string().max(500).optional(),
    /** Used when the column is empty. */
    default: z.string().max(500).optional(),
    /** date_of_birth and date attributes: the layout of the file's dates. */
    format: z.enum(['YYYY-MM-DD', 'MM/DD/YYYY', 'DD/MM/YYYY']).optional(),
    /** date_of_birth and date attributes: years are Buddhist era (2533 = 1990). */
    buddhistEra: z.boolean().optional(),
    ...ruleProperties,
  })
  .strict()
  .refine(
    (f) => [f.column, f.join, f.constant].filter((x) => x !== undefined).length === 1,
    'give exactly one of column, join or constant',
  );

export const MAPPED_FIELDS = [
  'external_id',
  'first_name',
  'last_name',
  'full_name',
  'gender',
  'date_of_birth',
  'phone',
  'email',
  'total_sales',
] as const;
export type MappedField = (typeof MAPPED_FIELDS)[number];

export const mappingSchema = z
  .object({
    name: z.string().min(1).max(200),
    /** A customer field (MAPPED_FIELDS) or a custom attribute `attributes.<key>` → where its value comes from. */
    fields: z.record(z.string(), fieldSpec).superRefine((fields, ctx) => {
      for (const message of targetProblems(fields, MAPPED_FIELDS)) ctx.addIssue({ code: 'custom', message });
    }),
    /** The region and national-id scheme of the files this mapping reads; an upload's own options win. */
    region: regionSchema.optional(),
    nationalIdScheme: z.enum(NATIONAL_ID_SCHEMES).optional(),
  })
  .refine((m) => m.fields.full_name || m.fields.first_name, {
    message: 'a mapping must fill full_name, or first_name (and last_name)',
    path: ['fields'],
  })
  .refine((m) => m.fields.phone || m.fields.email || m.fields.external_id, {
    message: 'a mapping must fill at least one of phone, email and external_id',
    path: ['fields'],
  });

export type Mapping = z.infer<typeof mappingSchema>;
export type FieldSpec = z.infer<typeof fieldSpec>;

/**
 * The columns the mapped source stages: the customer fields, the date layout the mapping declared,
 * the custom attributes' values (a JSON object by key) and the mapping's rules for them (JSON).
 */
export const MAPPED_COLUMNS = [...MAPPED_FIELDS, 'date_format', 'attributes', 'rules'] as const;

export interface MappedHeader {
  /** Source columns (MAPPED_COLUMNS that the mapping fills), the header every later step sees. */
  header: string[];
  /** Turns one record's fields (file order) into values for `header`. */
  project(fields: string[]): string[];
  /** Columns the mapping names that the file lacks. */
  missing: string[];
}

/** Applies a mapping's structure (which columns feed which field, joins, constants, defaults) to a file's header. */
export function mapFileHeader(cells: string[], mapping: Mapping): MappedHeader {
  const index = new Map<string, number>();
  cells.forEach((c, i) => {
    if (!index.has(headerKey(c))) index.set(headerKey(c), i);
  });
  const missing: string[] = [];
  const pick = (column: string) => {
    const i = index.get(headerKey(column));
    if (i === undefined && !missing.includes(column)) missing.push(column);
    return (fields: string[]) => (i === undefined ? '' : (fields[i] ?? ''));
  };
  const readers: ((fields: string[]) => string)[] = [];
  const header: string[] = [];
  for (const name of MAPPED_FIELDS) {
    const spec = mapping.fields[name];
    if (!spec) continue;
    header.push(name);
    readers.push(fieldReader(spec, pick));
  }
  const dob = mapping.fields.date_of_birth;
  if (dob) {
    header.push('date_format');
    const layout = `${dob.format ?? 'YYYY-MM-DD'}${dob.buddhistEra ? ' BE' : ''}`;
    readers.push(() => layout);
  }
  const attributes = Object.entries(mapping.fields).flatMap(([target, spec]) => {
    const key = ATTRIBUTE_TARGET.exec(target)?.[1];
    return key === undefined ? [] : [{ key, read: fieldReader(spec, pick) }];
  });
  if (attributes.length > 0) {
    header.push('attributes');
    readers.push((f) => JSON.stringify(Object.fromEntries(attributes.map((a) => [a.key, a.read(f)]))));
  }
  const sales = mapping.fields.total_sales;
  // A constant in every staged row: staged only when there is something to say.
  if (attributes.length > 0 || sales?.currency || sales?.convert) {
    header.push('rules');
    const rules = JSON.stringify(mappedRules(mapping.fields));
    readers.push(() => rules);
  }
  return { header, project: (fields) => readers.map((r) => r(fields)), missing };
}

function fieldReader(
  spec: FieldSpec,
  pick: (column: string) => (fields: string[]) => string,
): (fields: string[]) => string {
  const withDefault = (read: (f: string[]) => string) => (f: string[]) => {
    const v = read(f);
    return v.trim() === '' && spec.default !== undefined ? spec.default : v;
  };
  if (spec.constant !== undefined) return () => spec.constant!;
  if (spec.join) {
    const parts = spec.join.map(pick);
    return withDefault((f) =>
      parts
        .map((p) => p(f).trim())
        .filter((v) => v !== '')
        .join(spec.separator ?? ' '),
    );
  }
  return withDefault(pick(spec.column!));
}
