import { z } from 'zod';
import { MERGEABLE_FIELDS } from '../domain/dedupe/survivor-fields';
import type { ResponseSpec, RouteSpec } from './openapi';
import { failureSchema, idParamsOf, notFound, pageOf, pageQuery } from './schemas';

export const tag = 'duplicates';
export const idParams = idParamsOf('The id of the scan, merge or merge batch.');

/** A viewer's lookup of one scan, merge or batch by id: the record, or 404 when there is none. */
export function lookupSpec(summary: string, found: ResponseSpec, missing: string): RouteSpec {
  return { summary, tag, access: 'viewer', params: idParams, responses: { 200: found, 404: notFound(missing) } };
}

/** What every scan, merge and batch carries: who started it, its workflow, and when and how it ended. */
const run = {
  createdBy: z.string(),
  workflowId: z.string().nullable(),
  failure: failureSchema,
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
};

export const scanBody = z
  .object({
    sources: z
      .array(z.string().min(1).max(40))
      .min(1)
      .max(20)
      .optional()
      .meta({ description: 'Only pairs with at least one customer known to one of these sources.' }),
    importId: z
      .number()
      .int()
      .positive()
      .optional()
      .meta({ description: 'Only pairs with at least one customer this import created or linked.' }),
  })
  .strict();

const counts = z.object({ customers: z.number(), pairs: z.number(), groups: z.number() });
const links = z.record(z.string(), z.string());
export const scanStartedSchema = z.object({ id: z.number(), status: z.string(), workflowId: z.string(), links });
export const scanSchema = z.object({
  id: z.number(),
  status: z.enum(['running', 'completed', 'failed']),
  scope: z.record(z.string(), z.unknown()),
  counts,
  ...run,
  links,
});

export const groupsQuery = pageQuery.extend({
  minScore: z.coerce
    .number()
    .min(-100)
    .max(100)
    .default(0)
    .meta({ description: 'Only groups whose weakest pair scores at least this.' }),
});
const groupCustomer = z.object({
  id: z.number(),
  firstName: z.string(),
  lastName: z.string(),
  gender: z.string().nullable(),
  dateOfBirth: z.string().nullable(),
  phones: z.array(z.string()),
  emails: z.array(z.string()),
  sources: z.array(z.string()),
  mergedInto: z.number().nullable(),
});
const reason = z.object({ field: z.string(), agreement: z.string(), links: z.number(), weight: z.number() });
export const groupListSchema = pageOf(
  z.object({ id: z.number(), score: z.number(), reasons: z.array(reason), customers: z.array(groupCustomer) }),
);

const fieldChoices = z
  .object(
    Object.fromEntries(MERGEABLE_FIELDS.map((f) => [f, z.number().int().positive().optional()])) as Record<
      (typeof MERGEABLE_FIELDS)[number],
      z.ZodOptional<z.ZodNumber>
    >,
  )
  .strict();
const mergeRule = z.enum(['survivor_wins', 'fill_blanks']).default('fill_blanks').meta({
  description: "survivor_wins keeps the survivor's fields; fill_blanks fills its empty ones from the merged customers.",
});
export const mergeBody = z
  .object({
    groupId: z
      .number()
      .int()
      .positive()
      .optional()
      .meta({ description: 'Merge a group of a scan; its lowest id survives unless survivorId names another.' }),
    survivorId: z.number().int().positive().optional(),
    mergedIds: z.array(z.number().int().positive()).min(1).max(100).optional(),
    rule: mergeRule,
    choices: fieldChoices
      .default({})
      .meta({ description: 'Per field, the customer whose value the survivor takes (overrides the rule).' }),
  })
  .strict()
  .refine((b) => (b.groupId !== undefined) !== (b.mergedIds !== undefined && b.survivorId !== undefined), {
    message: 'give either groupId, or survivorId with mergedIds',
  });

export const mergeBatchBody = z
  .object({
    scanId: z
      .number()
      .int()
      .positive()
      .optional()
      .meta({ description: "Merge a scan's groups whose score is at least minScore." }),
    minScore: z.number().default(0),
    groupIds: z
      .array(z.number().int().positive())
      .min(1)
      .max(10_000)
      .optional()
      .meta({ description: 'Merge these groups.' }),
    rule: mergeRule,
  })
  .strict()
  .refine((b) => (b.scanId !== undefined) !== (b.groupIds !== undefined), {
    message: 'give either scanId (with minScore), or groupIds',
  });

export const mergeBatchSchema = z.object({
  id: z.number(),
  status: z.enum(['running', 'completed', 'failed']),
  counts: z.object({ merges: z.number(), completed: z.number(), refused: z.number() }),
  ...run,
});

export const mergeSchema = z.object({
  id: z.number(),
  status: z.enum(['running', 'completed', 'undoing', 'undone', 'failed']),
  groupId: z.number().nullable(),
  survivorId: z.number(),
  mergedIds: z.array(z.number()),
  rule: z.string(),
  choices: z.record(z.string(), z.number()),
  report: z.record(z.string(), z.unknown()).nullable(),
  ...run,
  undoneAt: z.string().nullable(),
  batchId: z.number().nullable(),
});
export const mergeListQuery = pageQuery.extend({
  batchId: z.coerce.number().int().positive().optional().meta({ description: "Only this batch's merges." }),
});
export const mergeListSchema = pageOf(mergeSchema);
export const undoPreviewSchema = z.object({
  mergeId: z.number(),
  status: z.string(),
  tables: z.array(z.object({ table: z.string(), restorable: z.number(), changedSince: z.number() })),
  laterMerges: z.array(z.number()),
  keepsLaterWork: z.boolean(),
});
