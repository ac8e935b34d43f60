import { z } from 'zod';
import { DATE_ERAS, DATE_ORDERS } from '../domain/import-locale';
import { NATIONAL_ID_SCHEMES } from '../domain/national-id';
import { regionSchema } from '../domain/region';
import { DUPLICATE_STRATEGIES } from '../sources/shared/profile';
import { DELIMITER_OPTIONS, ENCODING_OPTIONS } from '../vocabulary';

const flag = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no', ''])])
  .transform((v) => v === true || v === 'true' || v === '1' || v === 'yes');

/** Options of one import, as given in the upload form. */
export const importOptionsSchema = z.object({
  /** Validate and report only; nothing is written to the customer tables. */
  dryRun: flag.default(false),
  /** Wait after the test batch for an admin's approve or reject. */
  requireApproval: flag.default(false),
  /** How long an approval may take before the import expires (default 7 days). */
  approvalTimeoutSeconds: z.coerce
    .number()
    .int()
    .min(1)
    .max(90 * 24 * 3600)
    .default(7 * 24 * 3600),
  /** Records imported first, read back and compared before the rest. */
  testBatchSize: z.coerce.number().int().min(1).max(10_000).default(100),
  /** Rows per batch transaction. */
  batchSize: z.coerce.number().int().min(1).max(50_000).default(10_000),
  /** loyalty-users and mapped: what a record matching an existing customer does (reject, skip, update, create). */
  duplicates: z.enum(DUPLICATE_STRATEGIES).default('reject'),
  /** mapped: the saved mapping (POST /api/mappings) that says which column feeds which customer field. */
  mappingId: z.coerce.number().int().positive().optional(),
  /** A follow-up import: its records correct rejected records of this completed import (column row_number names which). */
  parentImportId: z.coerce.number().int().positive().optional(),
  /** .xlsx: the sheet to read, by name or 1-based position; the first sheet when absent. */
  sheet: z.string().min(1).max(100).optional(),
  /** CSV: the text encoding; `auto` detects it. `tis-620` is stored as windows-874, its superset. Not for .xlsx. */
  encoding: z
    .enum(ENCODING_OPTIONS)
    .default('auto')
    .transform((v) => (v === 'tis-620' ? 'windows-874' : v))
    .meta({
      description:
        'CSV only: the text encoding (tis-620 is read as windows-874); auto (default) detects it. A file that does not decode in the declared encoding is refused (422 INVALID_ENCODING, naming the line).',
    }),
  /** CSV: the field delimiter (`tab` for TAB); `auto` detects it from the header line. Not for .xlsx. */
  delimiter: z.enum(DELIMITER_OPTIONS).default('auto').meta({
    description:
      'CSV only: the field delimiter (tab for TAB); auto (default) picks the one that splits the header line into most cells.',
  }),
  /** Where phones without a country code are read; absent: the saved mapping's, else DEFAULT_REGION. */
  region: regionSchema.optional().meta({
    description:
      "ISO 3166-1 alpha-2 region (TH, SG, MY, …): phones without a country code are read in it and stored E.164. Absent: the parent import's for a follow-up, else the saved mapping's region, else the deployment's DEFAULT_REGION (TH when unset). Care Shop's Thai mobiles stay Thai.",
    example: 'SG',
  }),
  /** How national ids are checked; absent: the parent's (follow-ups), the mapping's, else the region's scheme (TH th, SG sg, MY my, else any). */
  nationalIdScheme: z.enum(NATIONAL_ID_SCHEMES).optional().meta({
    description:
      'th: 13 digits with check digit (1101700230708); sg: NRIC/FIN, S/T/F/G/M, seven digits, check letter (S1234567D); my: MyKad, 12 digits starting YYMMDD (900131-14-5678); any: opaque, trimmed and upper-cased. Absent: the scheme of the region. Duplicates by national id are looked for within the scheme.',
  }),
  /** Sources that read local dates (loyalty users, points, purchases): the order of d/m/yyyy values. */
  dateOrder: z.enum(DATE_ORDERS).optional().meta({
    description:
      'The order of slash dates (loyalty sources); absent: only yyyy-mm-dd. A value that is a date only in the other order is rejected as DATE_ORDER_CONFLICT, never swapped.',
  }),
  dateEra: z
    .enum(DATE_ERAS)
    .optional()
    .meta({ description: 'CE, or BE (Buddhist era: 543 subtracted). Absent: CE, and years above 2400 read as BE.' }),
});

export type ImportOptions = z.infer<typeof importOptionsSchema>;
