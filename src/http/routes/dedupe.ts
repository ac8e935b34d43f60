import { Router } from 'express';
import { getScan, scanGroups, startScan, type DedupeDeps } from '../../dedupe/dedupe-requests';
import { answerById, answerStarted, onePage } from '../answers';
import { callerOf, requireAdmin } from '../auth';
import * as d from '../dedupe-schemas';
import { documented, type ApiRegistry } from '../openapi';
import { notFound, problemSchema } from '../schemas';

const { tag } = d;
const links = (id: number) => ({ self: `/api/dedupe/${id}`, groups: `/api/dedupe/${id}/groups` });

/** Duplicate scans: start one, follow it, page through its groups. */
export function dedupeRoutes(deps: DedupeDeps, registry: ApiRegistry): Router {
  const router = Router();
  const api = documented(router, registry, '/api/dedupe');

  api.post(
    '/',
    {
      summary: 'Start a duplicate scan',
      description:
        'Starts workflow dedupe-<id>: exact keys and names compared inside blocks, pairs scored, groups formed (docs/dedupe.md).',
      tag,
      access: 'admin',
      body: { contentType: 'application/json', schema: d.scanBody },
      responses: {
        202: { description: 'Started.', schema: d.scanStartedSchema },
        400: { description: 'INVALID_REQUEST.', schema: problemSchema },
        503: { description: 'WORKFLOW_NOT_STARTED.', schema: problemSchema },
      },
    },
    requireAdmin,
    async (req, res) => {
      const scope = d.scanBody.parse(req.body ?? {});
      const scan = await startScan(deps, scope, callerOf(res).name);
      answerStarted(res, `/api/dedupe/${scan.id}`, {
        id: scan.id,
        status: scan.status,
        workflowId: scan.workflowId,
        links: links(scan.id),
      });
    },
  );

  api.get(
    '/:id',
    d.lookupSpec('A duplicate scan: status and counts', { description: 'The scan.', schema: d.scanSchema }, 'scan'),
    answerById(d.idParams, async (id) => ({ ...(await getScan(deps, id)), links: links(id) })),
  );

  api.get(
    '/:id/groups',
    {
      summary: "A scan's groups, surest first, with their customers side by side and the reasons",
      tag,
      access: 'viewer',
      params: d.idParams,
      query: d.groupsQuery,
      responses: {
        200: { description: 'One page of groups.', schema: d.groupListSchema },
        404: notFound('scan'),
      },
    },
    async (req, res) => {
      const { id } = d.idParams.parse(req.params);
      const q = d.groupsQuery.parse(req.query);
      res.json(onePage(q, await scanGroups(deps, id, q)));
    },
  );
  return router;
}
