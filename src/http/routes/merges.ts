import { Router } from 'express';
import { listMerges } from '../../db/queries/merges';
import { getMerge, requestMerge, requestUndo, type DedupeDeps } from '../../dedupe/dedupe-requests';
import { previewUndo } from '../../dedupe/unmerge-customers';
import { callerOf, requireAdmin } from '../auth';
import * as d from '../dedupe-schemas';
import { documented, type ApiRegistry } from '../openapi';
import { pageQuery, problemSchema } from '../schemas';

const tag = 'duplicates';
const conflict = { description: 'CUSTOMER_ALREADY_MERGED, MERGE_NOT_UNDOABLE.', schema: problemSchema };

/** Merges of duplicate customers, their history, and their undo. */
export function mergeRoutes(deps: DedupeDeps, registry: ApiRegistry): Router {
  const router = Router();
  const api = documented(router, registry, '/api/merges');

  api.post('/', {
    summary: 'Merge a group, or chosen customers, into one survivor',
    description: 'Starts workflow merge-<id>. Every row of the merged customers moves to the survivor with a before-image; they keep their row with merged_into set.',
    tag, access: 'admin',
    body: { contentType: 'application/json', schema: d.mergeBody },
    responses: { 202: { description: 'Started.', schema: d.mergeSchema }, 400: { description: 'INVALID_REQUEST, INVALID_MERGE, INVALID_CHOICE.', schema: problemSchema }, 404: { description: 'No such group or customer.', schema: problemSchema }, 409: conflict },
  }, requireAdmin, async (req, res) => {
    const merge = await requestMerge(deps, d.mergeBody.parse(req.body ?? {}), callerOf(res).name);
    res.status(202).location(`/api/merges/${merge.id}`).json(merge);
  });

  api.get('/', { summary: 'Merges, newest first', tag, access: 'viewer', query: pageQuery, responses: { 200: { description: 'One page of merges.', schema: d.mergeListSchema } } }, async (req, res) => {
    const q = pageQuery.parse(req.query);
    res.json({ ...(await listMerges(deps.pool, q)), page: q.page, pageSize: q.pageSize });
  });

  api.get('/:id', { summary: 'One merge', tag, access: 'viewer', params: d.idParams, responses: { 200: { description: 'The merge.', schema: d.mergeSchema }, 404: { description: 'No such merge.', schema: problemSchema } } }, async (req, res) => {
    res.json(await getMerge(deps, d.idParams.parse(req.params).id));
  });

  api.get('/:id/undo-preview', {
    summary: 'What an undo would restore, and what later work it would keep',
    tag, access: 'viewer', params: d.idParams,
    responses: { 200: { description: 'The preview; nothing is changed.', schema: d.undoPreviewSchema }, 404: { description: 'No such merge.', schema: problemSchema } },
  }, async (req, res) => {
    res.json(await previewUndo(deps.pool, d.idParams.parse(req.params).id));
  });

  api.post('/:id/undo', {
    summary: 'Undo a merge',
    description: 'Starts workflow unmerge-<id>: every row the merge wrote that is still as it left it returns to its before-image; rows changed since are kept (see undo-preview).',
    tag, access: 'admin', params: d.idParams,
    responses: { 202: { description: 'Started.', schema: d.mergeSchema.extend({ workflowId: d.mergeSchema.shape.workflowId }) }, 404: { description: 'No such merge.', schema: problemSchema }, 409: conflict },
  }, requireAdmin, async (req, res) => {
    const { merge, workflowId } = await requestUndo(deps, d.idParams.parse(req.params).id, callerOf(res).name);
    res.status(202).json({ ...merge, workflowId });
  });
  return router;
}
