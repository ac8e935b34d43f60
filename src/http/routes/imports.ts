import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { Router, type Request, type Response } from 'express';
import { stringify } from 'csv-stringify';
import { z } from 'zod';
import type pg from 'pg';
import type { ImportEvent } from '../../db/queries/import-events';
import { listImports, type ImportRecord } from '../../db/queries/imports';
import { errorsAfter, listErrors } from '../../db/queries/ledger';
import { FerryError } from '../../errors';
import { displayName } from '../../files/display-name';
import type { ImportDeps } from '../../imports/deps';
import { errorReportHeader, errorReportLine } from '../../imports/error-report';
import { importOptionsSchema } from '../../imports/import-options';
import { loadImport } from '../../imports/load-import';
import { approveImport, cancelImport, getImportDetail, reconcileImport, rejectImport, requestRollback, rollbackPreview } from '../../imports/operator-actions';
import { stageUpload } from '../../imports/stage-upload';
import type { WorkflowControl } from '../../imports/workflow-control';
import { callerOf, requireAdmin } from '../auth';
import { uploadSingleFile } from '../upload';

export interface ImportRouteDeps extends ImportDeps {
  workflows: WorkflowControl;
  maxUploadBytes: number;
}

const idParam = z.object({ id: z.coerce.number().int().positive() });
const pageQuery = z.object({ page: z.coerce.number().int().min(1).default(1), pageSize: z.coerce.number().int().min(1).max(500).default(50) });
const listQuery = pageQuery.extend({ status: z.string().max(40).optional(), source: z.string().max(40).optional() });
const uploadBody = importOptionsSchema.extend({ source: z.string().min(1, 'source is required').max(40) });
const forceQuery = z.object({ force: z.enum(['true', 'false', '1', '0']).optional().transform((v) => v === 'true' || v === '1') });

export function importRoutes(deps: ImportRouteDeps): Router {
  const router = Router();

  router.post('/', requireAdmin, uploadSingleFile(deps.maxUploadBytes), async (req, res) => {
    if (!req.file) throw new FerryError('FILE_REQUIRED', 'a multipart field "file" with the export file is required', 400);
    const { source, ...options } = uploadBody.parse(req.body ?? {});
    const fileName = displayName(req.file.originalname);
    const staged = await stageUpload(deps, { path: req.file.path, fileName, source, options, user: callerOf(res).name });
    res.status(202).location(`/api/imports/${staged.id}`).json({ id: staged.id, status: 'queued', workflowId: staged.workflowId, total: staged.total, links: links(staged.id) });
  });

  router.get('/', async (req, res) => {
    const q = listQuery.parse(req.query);
    const { items, total } = await listImports(deps.pool, q);
    const fresh = await Promise.all(items.map((imp) => reconcileImport(deps, imp)));
    res.json({ items: fresh.map((imp) => present(imp)), page: q.page, pageSize: q.pageSize, total });
  });

  router.get('/:id', async (req, res) => {
    const { imp, events } = await getImportDetail(deps, idParam.parse(req.params).id);
    res.json(present(imp, events));
  });

  router.get('/:id/rollback-preview', async (req, res) => {
    const { id } = idParam.parse(req.params);
    res.json({ id, ...(await rollbackPreview(deps, id, forceQuery.parse(req.query).force)) });
  });

  router.get('/:id/errors.csv', async (req, res) => sendErrorCsv(deps.pool, req, res));

  router.get('/:id/errors', async (req, res) => {
    const { id } = idParam.parse(req.params);
    const q = pageQuery.parse(req.query);
    await loadImport(deps.pool, id);
    const { items, total } = await listErrors(deps.pool, id, q.page, q.pageSize);
    res.json({ items: items.map((e) => ({ rowNumber: e.rowNumber, lineNumber: e.lineNumber, record: e.record, errors: e.errors })), page: q.page, pageSize: q.pageSize, total });
  });

  router.post('/:id/cancel', requireAdmin, async (req, res) => {
    const { id } = idParam.parse(req.params);
    await cancelImport(deps, id, callerOf(res).name);
    res.status(202).json({ id, status: 'cancelling', links: links(id) });
  });

  router.post('/:id/approve', requireAdmin, async (req, res) => {
    const imp = await approveImport(deps, idParam.parse(req.params).id, callerOf(res).name);
    res.status(202).json(present(imp));
  });

  router.post('/:id/reject', requireAdmin, async (req, res) => {
    const imp = await rejectImport(deps, idParam.parse(req.params).id, callerOf(res).name);
    res.status(202).json(present(imp));
  });

  router.post('/:id/rollback', requireAdmin, async (req, res) => {
    const { id } = idParam.parse(req.params);
    const workflowId = await requestRollback(deps, id, callerOf(res).name, forceQuery.parse(req.query).force);
    res.status(202).json({ id, status: 'rolling_back', workflowId, links: links(id) });
  });

  return router;
}

async function sendErrorCsv(pool: pg.Pool, req: Request, res: Response) {
  const { imp } = await loadImport(pool, idParam.parse(req.params).id);
  async function* lines() {
    yield errorReportHeader(imp);
    for (let after = 0; ; ) {
      const page = await errorsAfter(pool, imp.id, after, 1000);
      if (page.length === 0) return;
      for (const row of page) yield errorReportLine(imp, row);
      after = page[page.length - 1].rowNumber;
    }
  }
  const name = `import-${imp.id}-errors.csv`;
  res.type('text/csv; charset=utf-8').attachment(name);
  // A BOM so Excel opens Thai text as UTF-8.
  res.write('\ufeff');
  await pipeline(Readable.from(lines()), stringify(), res);
}

function links(id: number) {
  return { self: `/api/imports/${id}`, errors: `/api/imports/${id}/errors`, errorsCsv: `/api/imports/${id}/errors.csv`, rollbackPreview: `/api/imports/${id}/rollback-preview` };
}

function present(imp: ImportRecord, events?: ImportEvent[]) {
  return {
    id: imp.id,
    source: imp.source,
    status: imp.status,
    phase: imp.phase,
    fileName: imp.fileName,
    fileSha256: imp.fileSha256,
    createdBy: imp.createdBy,
    createdAt: imp.createdAt,
    updatedAt: imp.updatedAt,
    finishedAt: imp.finishedAt,
    workflowId: imp.workflowId,
    options: imp.options,
    progress: { rowsProcessed: imp.rowsProcessed, total: imp.total, percent: imp.total === 0 ? 0 : Math.floor((100 * imp.rowsProcessed) / imp.total) },
    counts: { total: imp.total, valid: imp.valid, created: imp.created, linked: imp.linked, updated: imp.updated, skipped: imp.skipped, rejected: imp.rejected },
    verification: imp.verification,
    timeline: imp.phaseLog,
    rollback: imp.rollbackReport,
    failure: imp.failure,
    ...(events ? { audit: events } : {}),
    links: links(imp.id),
  };
}
