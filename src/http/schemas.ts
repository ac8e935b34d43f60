import { z } from 'zod';
import { NATIONAL_ID_SCHEMES } from '../domain/national-id';
import { importOptionsSchema } from '../imports/import-options';
import { IMPORT_STATUSES } from '../vocabulary';

/**
 * The api's request schemas (the routes parse with them) and response schemas (the OpenAPI
 * document describes with them). Both feed `z.toJSONSchema`, so they are plain zod.
 */

export const problemSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'A stable, upper-case code: INVALID_REQUEST, NOT_FOUND, EMPTY_FILE, …' }),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ description: 'Every error, whatever its status.' });

/** A path's `:id`, a positive integer, described in the OpenAPI document as `description` says. */
export const idParamsOf = (description: string) =>
  z.object({ id: z.coerce.number().int().positive().meta({ description }) });

export const idParams = idParamsOf('The import id.');
export const sourceParams = z.object({ source: z.string().max(40).meta({ description: 'A source name, e.g. nana.' }) });

export const MAX_PAGE_SIZE = 500;
export const pageQuery = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(50),
});
/** One page of a list, as every list route answers it (see onePage). */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), page: z.number(), pageSize: z.number(), total: z.number() });
/** Why a workflow's run ended badly: a code and a message, never a value of a record. */
export const failureSchema = z.object({ code: z.string(), message: z.string() }).nullable();
/** The 404 of a lookup by id. */
export const notFound = (what: string) => ({ description: `No such ${what}.`, schema: problemSchema });
export const listQuery = pageQuery.extend({
  status: z.string().max(40).optional().meta({ description: 'Only imports with this status.' }),
  source: z.string().max(40).optional().meta({ description: 'Only imports of this source.' }),
  fileName: z
    .string()
    .max(200)
    .optional()
    .meta({ description: 'Only imports whose file name contains this text (case-insensitive).' }),
});

const boolParam = z
  .enum(['true', 'false', '1', '0'])
  .optional()
  .transform((v) => v === 'true' || v === '1');
export const forceQuery = z.object({
  force: boolParam.meta({ description: 'Also undo what later work built on this import.' }),
});

export const uploadBody = importOptionsSchema.extend({
  source: z
    .string()
    .min(1, 'source is required')
    .max(40)
    .meta({ description: 'The source the file comes from, e.g. nana.' }),
  force: boolParam.meta({
    description:
      'Stage the file even if the same file was sent to the same source in the last 10 minutes and is still running.',
  }),
});
/** The multipart form as documented: the parsed fields plus the file part multer takes. */
export const uploadForm = uploadBody.extend({
  file: z.string().meta({
    description: 'The export file (CSV, or an .xlsx workbook). Its type is decided from its bytes, not its name.',
    contentMediaType: 'application/octet-stream',
  }),
});

/** Printable ASCII, the length of a UUID or a ULID with room: anything else is refused rather than logged. */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{8,128}$/;
export const uploadHeaders = z.object({
  'idempotency-key': z
    .string()
    .regex(IDEMPOTENCY_KEY, 'Idempotency-Key must be 8 to 128 printable ASCII characters')
    .optional()
    .meta({
      description:
        'A new random key per upload (a UUID): a repeated request with the same key answers with the first import.',
    }),
});

const links = z.object({
  self: z.string(),
  errors: z.string(),
  errorsCsv: z.string(),
  errorsXlsx: z.string(),
  rollbackPreview: z.string(),
});
const counts = z.object({
  total: z.number(),
  valid: z.number().nullable(),
  created: z.number(),
  linked: z.number(),
  updated: z.number(),
  skipped: z.number(),
  rejected: z.number(),
});
const timestamp = z.string().meta({ format: 'date-time' });

export const auditEventSchema = z.object({
  action: z.enum([
    'uploaded',
    'approved',
    'rejected',
    'cancel_requested',
    'cancelled',
    'rollback_requested',
    'rolled_back',
    'expired',
    'marked_failed',
    'workflow_started',
    'purged',
  ]),
  actor: z.string().meta({ description: 'The token name of who did it, or "ferry" for the service itself.' }),
  at: timestamp,
  details: z.record(z.string(), z.unknown()).nullable(),
});

export const importSchema = z.object({
  id: z.number(),
  source: z.string(),
  status: z.enum(IMPORT_STATUSES),
  phase: z.string(),
  fileName: z.string(),
  fileSha256: z.string(),
  createdBy: z.string(),
  createdAt: timestamp,
  updatedAt: timestamp,
  finishedAt: timestamp.nullable(),
  workflowId: z.string().nullable(),
  options: z.record(z.string(), z.unknown()),
  parentImportId: z
    .number()
    .nullable()
    .meta({ description: 'A follow-up import: the import whose rejected records it corrects.' }),
  locale: z
    .object({
      region: z.string(),
      nationalIdScheme: z.enum(NATIONAL_ID_SCHEMES),
      dateOrder: z.string().nullable(),
      dateEra: z.string().nullable(),
    })
    .meta({
      description:
        'How the import reads its file, decided at upload (options, else the mapping, else DEFAULT_REGION): region of phones without a country code, national-id scheme, declared date order and era.',
      example: { region: 'SG', nationalIdScheme: 'sg', dateOrder: null, dateEra: null },
    }),
  progress: z.object({
    rowsProcessed: z.number(),
    total: z.number(),
    percent: z.number(),
    staging: z.enum(['streaming', 'done', 'failed']).meta({
      description:
        "The upload's staging: while 'streaming', the import already runs and total counts the records staged so far.",
    }),
  }),
  counts,
  verification: z.record(z.string(), z.unknown()).nullable(),
  timeline: z.array(z.object({ status: z.string(), phase: z.string(), at: z.string() })),
  rollback: z.record(z.string(), z.unknown()).nullable(),
  failure: failureSchema,
  links,
});

export const importDetailSchema = importSchema.extend({
  audit: z
    .array(auditEventSchema)
    .meta({ description: 'Who did what to the import, oldest first: uploaded, approved, cancelled, rolled back…' }),
  fixes: z
    .object({
      fixed: z.number(),
      followUps: z.array(z.object({ id: z.number(), status: z.string(), records: z.number(), fixed: z.number() })),
    })
    .meta({
      description:
        'How many rejected records completed follow-up imports fixed later, and the follow-ups (parentImportId = this import).',
    }),
});

export const importListSchema = pageOf(importSchema);

export const stagedSchema = z.object({
  id: z.number(),
  status: z.string(),
  workflowId: z.string(),
  total: z.number(),
  replayed: z.boolean().meta({
    description:
      'True when this answer repeats an earlier upload (same Idempotency-Key, or the same file still running).',
  }),
  links,
});

export const actionSchema = z.object({ id: z.number(), status: z.string(), workflowId: z.string().optional(), links });

export const errorsPageSchema = pageOf(
  z.object({
    rowNumber: z.number(),
    lineNumber: z.number(),
    record: z.record(z.string(), z.string()),
    errors: z.array(z.object({ field: z.string(), code: z.string(), message: z.string() })),
  }),
);

export const rollbackPreviewSchema = z.object({ id: z.number() }).catchall(z.unknown());

export const sourcesSchema = z.object({
  items: z.array(
    z.object({
      name: z.string(),
      label: z.string(),
      description: z.string(),
      columns: z.array(z.record(z.string(), z.unknown())),
      duplicateStrategies: z.array(z.string()).meta({
        description: "The duplicates option's choices where the source has one (default reject); empty otherwise.",
      }),
      template: z.string(),
      templateXlsx: z.string(),
    }),
  ),
});

export const healthSchema = z.object({ ok: z.boolean() });
export const readySchema = z.object({
  ok: z.boolean(),
  checks: z.record(z.string(), z.object({ ok: z.boolean(), error: z.string().optional() })),
});
