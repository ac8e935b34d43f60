import { Router } from 'express';
import { z } from 'zod';
import type { ImportDeps } from '../../imports/deps';
import { recordOutcomes } from '../../imports/record-outcomes';
import { onePage } from '../answers';
import { documented, type ApiRegistry, type RouteSpec } from '../openapi';
import * as s from '../schemas';

const OUTCOMES = ['created', 'linked', 'updated', 'skipped', 'rejected'] as const;

const recordsQuery = s.pageQuery.extend({
  outcome: z.enum(OUTCOMES).optional().meta({ description: 'Only records with this outcome.' }),
  q: z
    .string()
    .max(200)
    .optional()
    .meta({ description: 'A row number, or a value a record holds exactly (its legacy id, say).' }),
});

const fixSchema = z.object({ importId: z.number(), rowNumber: z.number() });
const recordsPageSchema = s.pageOf(
  z.object({
    rowNumber: z.number().meta({ description: 'Data records count from 1; the header is not a record.' }),
    outcome: z.enum(OUTCOMES),
    reasons: z.array(z.object({ field: z.string(), code: z.string(), message: z.string() })).meta({
      description:
        'Why a record was rejected, or for a skipped points or purchase line the earlier transaction it matched (code SAME_TRANSACTION, naming that import and row); empty otherwise.',
    }),
    customerId: z.number().nullable().meta({ description: 'The CRM customer the record created, linked or updated.' }),
    fixedBy: fixSchema.nullable().meta({
      description: 'A rejected record that a completed follow-up import corrected: that import and its record.',
    }),
  }),
);

const recordsSpec: RouteSpec = {
  summary: 'What became of each record',
  description:
    'Records in row order with their outcome (created, linked, updated, skipped or rejected), the reasons of a rejection and the CRM customer. A dry run lists its rejected records only.',
  tag: 'imports',
  access: 'viewer',
  params: s.idParams,
  query: recordsQuery,
  responses: {
    200: { description: 'One page of records.', schema: recordsPageSchema },
    404: s.notFound('import'),
  },
};

/** Per-record outcomes: what became of each record, and which follow-up fixed a rejected one. */
export function importRecordRoutes(deps: ImportDeps & { registry: ApiRegistry }): Router {
  const router = Router();
  const api = documented(router, deps.registry, '/api/imports');
  api.get('/:id/records', recordsSpec, async (req, res) => {
    const { id } = s.idParams.parse(req.params);
    const q = recordsQuery.parse(req.query);
    res.json(onePage(q, await recordOutcomes(deps, id, q)));
  });
  return router;
}
