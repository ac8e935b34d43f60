import { Router } from 'express';
import { z } from 'zod';
import { listMerges } from '../../db/queries/merges';
import {
  getMerge,
  getMergeBatch,
  requestMerge,
  requestMergeBatch,
  requestUndo,
  type DedupeDeps,
} from '../../dedupe/dedupe-requests';
import { previewUndo } from '../../dedupe/unmerge-customers';
import { answerById, answerStarted, onePage } from '../answers';
import { callerOf, requireAdmin } from '../auth';
import * as d from '../dedupe-schemas';
import { documented, type ApiRegistry } from '../openapi';
import { notFound, problemSchema } from '../schemas';

const { tag } = d;
const conflict = { description: 'CUSTOMER_ALREADY_MERGED, MERGE_NOT_UNDOABLE.', schema: problemSchema };

/** Merges of duplicate customers, their history, and their undo. */
export function mergeRoutes(deps: DedupeDeps, registry: ApiRegistry): Router {
  const router = Router();
  const api = documented(router, registry, '/api/merges');

  api.post(
    '/',
    {
      summary: 'Merge a group, or chosen customers, into one survivor; or many groups in one batch',
      description:
        'Starts workflow merge-<id>. Every row of the merged customers moves to the survivor with a before-image; they keep their row with merged_into set. ' +
        'With scanId (and minScore) or groupIds, records one merge per group and starts one workflow merge-batch-<id> that runs them in batches, each in its own transaction and undoable on its own.',
      tag,
      access: 'admin',
      body: { contentType: 'application/json', schema: z.union([d.mergeBody, d.mergeBatchBody]) },
      responses: {
        202: { description: 'Started: a merge, or a batch.', schema: z.union([d.mergeSchema, d.mergeBatchSchema]) },
        400: { description: 'INVALID_REQUEST, INVALID_MERGE, INVALID_CHOICE, NO_GROUPS.', schema: problemSchema },
        404: notFound('scan, group or customer'),
        409: conflict,
      },
    },
    requireAdmin,
    async (req, res) => {
      const body: unknown = req.body ?? {};
      if (typeof body === 'object' && body !== null && ('scanId' in body || 'groupIds' in body)) {
        const { rule, ...groups } = d.mergeBatchBody.parse(body);
        const batch = await requestMergeBatch(
          deps,
          groups.groupIds ? { groupIds: groups.groupIds } : { scanId: groups.scanId!, minScore: groups.minScore },
          rule,
          callerOf(res).name,
        );
        answerStarted(res, `/api/merges/batches/${batch.id}`, batch);
        return;
      }
      const merge = await requestMerge(deps, d.mergeBody.parse(body), callerOf(res).name);
      answerStarted(res, `/api/merges/${merge.id}`, merge);
    },
  );

  api.get(
    '/batches/:id',
    d.lookupSpec(
      'One batch of merges, with its counts',
      { description: 'The batch; its merges are listed by GET /api/merges.', schema: d.mergeBatchSchema },
      'batch',
    ),
    answerById(d.idParams, (id) => getMergeBatch(deps, id)),
  );

  api.get(
    '/',
    {
      summary: 'Merges, newest first',
      tag,
      access: 'viewer',
      query: d.mergeListQuery,
      responses: { 200: { description: 'One page of merges.', schema: d.mergeListSchema } },
    },
    async (req, res) => {
      const q = d.mergeListQuery.parse(req.query);
      res.json(onePage(q, await listMerges(deps.pool, q)));
    },
  );

  api.get(
    '/:id',
    d.lookupSpec('One merge', { description: 'The merge.', schema: d.mergeSchema }, 'merge'),
    answerById(d.idParams, (id) => getMerge(deps, id)),
  );

  api.get(
    '/:id/undo-preview',
    d.lookupSpec(
      'What an undo would restore, and what later work it would keep',
      { description: 'The preview; nothing is changed.', schema: d.undoPreviewSchema },
      'merge',
    ),
    answerById(d.idParams, (id) => previewUndo(deps.pool, id)),
  );

  api.post(
    '/:id/undo',
    {
      summary: 'Undo a merge',
      description:
        'Starts workflow unmerge-<id>: every row the merge wrote that is still as it left it returns to its before-image; rows changed since are kept (see undo-preview).',
      tag,
      access: 'admin',
      params: d.idParams,
      responses: {
        202: { description: 'Started.', schema: d.mergeSchema },
        404: notFound('merge'),
        409: conflict,
      },
    },
    requireAdmin,
    async (req, res) => {
      const { merge, workflowId } = await requestUndo(deps, d.idParams.parse(req.params).id, callerOf(res).name);
      res.status(202).json({ ...merge, workflowId });
    },
  );
  return router;
}
