import { Router, type RequestHandler } from 'express';
import type { z } from 'zod';
import type { ImportEvent } from '../../db/queries/import-events';
import { listImports, type ImportRecord } from '../../db/queries/imports';
import { listErrors } from '../../db/queries/ledger';
import { FerryError } from '../../errors';
import { displayName } from '../../files/display-name';
import type { ImportDeps } from '../../imports/deps';
import { recordAsUploaded } from '../../imports/file-columns';
import { loadImport } from '../../imports/load-import';
import { followUpsOf } from '../../imports/record-outcomes';
import {
  approveImport,
  cancelImport,
  getImportDetail,
  reconcileImport,
  rejectImport,
  requestRollback,
  rollbackPreview,
} from '../../imports/operator-actions';
import { stageUpload } from '../../imports/stage-upload';
import type { WorkflowControl } from '../../imports/import-workflows';
import { countsOf } from '../../vocabulary';
import { onePage } from '../answers';
import { callerOf, requireAdmin } from '../auth';
import { sendCsvReport, sendXlsxReport } from '../error-reports';
import { documented, type ApiRegistry, type RouteSpec } from '../openapi';
import { concurrentUploadCap, perCallerLimit, type RateLimits } from '../rate-limit';
import * as s from '../schemas';
import { uploadSingleFile } from '../upload';

export interface ImportRouteDeps extends ImportDeps {
  workflows: WorkflowControl;
  maxUploadBytes: number;
}

const DOWNLOAD = {
  'Content-Disposition': "attachment; the upload's name, sanitised, with an RFC 6266 filename* for non-ASCII names",
};

export function importRoutes(
  deps: ImportRouteDeps & { registry: ApiRegistry; rateLimits: RateLimits; uploadDir: string },
): Router {
  const router = Router();
  const api = documented(router, deps.registry, '/api/imports');
  const uploads = perCallerLimit('upload', deps.rateLimits.uploadsPerMinute);
  const actions = perCallerLimit('operator action', deps.rateLimits.actionsPerMinute);
  const upload = uploadSingleFile(deps.maxUploadBytes, deps.uploadDir);
  const uploadSlot = concurrentUploadCap(deps.rateLimits.concurrentUploads);

  // The key is checked before the body is read: a malformed one costs no upload.
  const checkKey: RequestHandler = (req, res, next) => {
    res.locals.idempotencyKey = s.uploadHeaders.parse(req.headers)['idempotency-key'];
    next();
  };

  api.post('/', uploadSpec, requireAdmin, uploads, uploadSlot, checkKey, upload, async (req, res) => {
    if (!req.file)
      throw new FerryError('FILE_REQUIRED', 'a multipart field "file" with the export file is required', 400);
    const idempotencyKey = res.locals.idempotencyKey as string | undefined;
    const { source, force, ...options } = s.uploadBody.parse(req.body ?? {});
    const fileName = displayName(req.file.originalname);
    const staged = await stageUpload(deps, {
      path: req.file.path,
      fileName,
      source,
      options,
      user: callerOf(res).name,
      idempotencyKey,
      force,
    });
    if (staged.replayOf) {
      const { imp } = await loadImport(deps.pool, staged.id);
      res.status(200).set('Idempotent-Replayed', 'true').location(`/api/imports/${staged.id}`);
      res.json({
        id: imp.id,
        status: imp.status,
        workflowId: staged.workflowId,
        total: imp.total,
        replayed: true,
        links: links(imp.id),
      });
      return;
    }
    res
      .status(202)
      .location(`/api/imports/${staged.id}`)
      .json({
        id: staged.id,
        status: 'queued',
        workflowId: staged.workflowId,
        total: staged.total,
        replayed: false,
        links: links(staged.id),
      });
  });

  api.get('/', listSpec, async (req, res) => {
    const q = s.listQuery.parse(req.query);
    const { items, total } = await listImports(deps.pool, q);
    const fresh = await Promise.all(items.map((imp) => reconcileImport(deps, imp)));
    res.json(onePage(q, { items: fresh.map((imp) => present(imp)), total }));
  });

  api.get('/:id', detailSpec, async (req, res) => {
    const { imp, events } = await getImportDetail(deps, s.idParams.parse(req.params).id);
    res.json({ ...present(imp, events), fixes: (await followUpsOf(deps, imp)).fixes });
  });

  api.get('/:id/rollback-preview', previewSpec, async (req, res) => {
    const { id } = s.idParams.parse(req.params);
    res.json({ id, ...(await rollbackPreview(deps, id, s.forceQuery.parse(req.query).force)) });
  });

  api.get('/:id/errors.csv', reportSpec('CSV', 'text/csv'), async (req, res) => {
    await sendCsvReport(deps.pool, (await loadImport(deps.pool, s.idParams.parse(req.params).id)).imp, res);
  });

  api.get(
    '/:id/errors.xlsx',
    reportSpec('Excel', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'),
    async (req, res) => {
      await sendXlsxReport(deps.pool, (await loadImport(deps.pool, s.idParams.parse(req.params).id)).imp, res);
    },
  );

  api.get('/:id/errors', errorsSpec, async (req, res) => {
    const { id } = s.idParams.parse(req.params);
    const q = s.pageQuery.parse(req.query);
    const { imp } = await loadImport(deps.pool, id);
    const { items, total } = await listErrors(deps.pool, id, q.page, q.pageSize);
    res.json(
      onePage(q, {
        items: items.map((e) => ({
          rowNumber: e.rowNumber,
          lineNumber: e.lineNumber,
          record: recordAsUploaded(imp, e.record),
          errors: e.errors,
        })),
        total,
      }),
    );
  });

  const action = (
    summary: string,
    description: string,
    schema: z.ZodType,
    handler: RequestHandler,
    query?: z.ZodObject,
  ) => {
    const spec: RouteSpec = {
      summary,
      description,
      tag: 'operator actions',
      access: 'admin',
      params: s.idParams,
      query,
      rateLimited: true,
      responses: actionResponses(schema),
    };
    return [spec, requireAdmin, actions, handler] as const;
  };

  api.post(
    '/:id/cancel',
    ...action(
      'Cancel a running import',
      'The workflow is cancelled and rolls back what it wrote; recorded in the audit.',
      s.actionSchema,
      async (req, res) => {
        const { id } = s.idParams.parse(req.params);
        await cancelImport(deps, id, callerOf(res).name);
        res.status(202).json({ id, status: 'cancelling', links: links(id) });
      },
    ),
  );
  api.post(
    '/:id/approve',
    ...action(
      'Approve an import',
      'An import awaiting approval goes on; a validated dry run is started for real (409 DRY_RUN_STILL_CLOSING while its dry run is still sending its notifications).',
      s.importSchema,
      async (req, res) => {
        res.status(202).json(present(await approveImport(deps, s.idParams.parse(req.params).id, callerOf(res).name)));
      },
    ),
  );
  api.post(
    '/:id/reject',
    ...action(
      'Reject an import awaiting approval',
      'The import rolls back its test batch.',
      s.importSchema,
      async (req, res) => {
        res.status(202).json(present(await rejectImport(deps, s.idParams.parse(req.params).id, callerOf(res).name)));
      },
    ),
  );
  api.post(
    '/:id/rollback',
    ...action(
      'Roll back a finished import',
      'Starts workflow rollback-<id>; see rollback-preview first.',
      s.actionSchema,
      async (req, res) => {
        const { id } = s.idParams.parse(req.params);
        const workflowId = await requestRollback(deps, id, callerOf(res).name, s.forceQuery.parse(req.query).force);
        res.status(202).json({ id, status: 'rolling_back', workflowId, links: links(id) });
      },
      s.forceQuery,
    ),
  );

  return router;
}

const uploadSpec: RouteSpec = {
  summary: 'Upload a file and start its import',
  description:
    'Checks size, type (from the bytes), encoding and header before answering; stages every record in PostgreSQL and starts workflow import-<id>. ' +
    "A CSV file's encoding and delimiter are detected unless declared (encoding, delimiter); a declared encoding must decode every byte. " +
    'A repeated request with the same Idempotency-Key, or the same file to the same source by the same caller within 10 minutes while the first is still running (unless force=true), answers 200 with the earlier import.',
  tag: 'imports',
  access: 'admin',
  headers: s.uploadHeaders,
  body: { contentType: 'multipart/form-data', schema: s.uploadForm },
  rateLimited: true,
  responses: {
    202: {
      description: 'Staged; the workflow is started.',
      schema: s.stagedSchema,
      headers: { Location: 'The import.' },
    },
    200: {
      description: 'A repeat of an earlier upload: that import, nothing new staged.',
      schema: s.stagedSchema,
      headers: { 'Idempotent-Replayed': 'true' },
    },
    400: {
      description:
        'Malformed request: EMPTY_FILE, FILE_REQUIRED, UNKNOWN_SOURCE, MALFORMED_MULTIPART, LIMIT_* (multer), INVALID_REQUEST.',
      schema: s.problemSchema,
    },
    413: { description: 'The file is over MAX_UPLOAD_BYTES (LIMIT_FILE_SIZE).', schema: s.problemSchema },
    408: {
      description:
        'The request took longer than UPLOAD_TIMEOUT_SECONDS (default 1 hour) to arrive; answered by Node with no body, and the connection closed. Nothing is staged.',
    },
    422: {
      description:
        'The file cannot be imported: NOT_TEXT, UNSUPPORTED_FILE_TYPE, INVALID_ENCODING (details.line: the first line that does not decode), ENCODING_MISMATCH (a byte order mark contradicts the declared encoding), ' +
        'DELIMITER_MISMATCH (the header line lacks the declared delimiter), OPTION_NOT_FOR_XLSX (encoding or delimiter declared for a workbook), INVALID_HEADER, NO_DATA_ROWS, CSV_QUOTE_NOT_CLOSED, IDEMPOTENCY_KEY_REUSED…',
      schema: s.problemSchema,
    },
    409: {
      description:
        'WORKFLOW_ID_IN_USE: workflow import-<id> is running for another import of the same id (another database on this namespace, or a restored one); this import is kept as failed.',
      schema: s.problemSchema,
    },
    503: {
      description:
        'WORKFLOW_NOT_STARTED: staged, but Temporal did not start the workflow; the import is kept as failed, try again. (Had the api stopped at that moment instead, the import stays queued and an api starts its run within about 25 s.)',
      schema: s.problemSchema,
    },
  },
};

const listSpec: RouteSpec = {
  summary: 'List imports, newest first',
  tag: 'imports',
  access: 'viewer',
  query: s.listQuery,
  responses: { 200: { description: 'One page of imports.', schema: s.importListSchema } },
};

const detailSpec: RouteSpec = {
  summary: 'One import: status, progress, counts, verification and audit',
  tag: 'imports',
  access: 'viewer',
  params: s.idParams,
  responses: {
    200: { description: 'The import with its audit trail.', schema: s.importDetailSchema },
    404: s.notFound('import'),
  },
};

const previewSpec: RouteSpec = {
  summary: 'What a rollback would undo',
  tag: 'imports',
  access: 'viewer',
  params: s.idParams,
  query: s.forceQuery,
  responses: {
    200: { description: 'The preview.', schema: s.rollbackPreviewSchema },
    404: s.notFound('import'),
  },
};

const errorsSpec: RouteSpec = {
  summary: 'Rejected records, paginated',
  description: "`record` is the record as uploaded, keyed by the file's own header (for a mapped file too).",
  tag: 'error reports',
  access: 'viewer',
  params: s.idParams,
  query: s.pageQuery,
  responses: {
    200: { description: 'One page of rejected records with every reason.', schema: s.errorsPageSchema },
    404: s.notFound('import'),
  },
};

function reportSpec(kind: string, contentType: string): RouteSpec {
  return {
    summary: `Rejected records as a ${kind} download`,
    description:
      "The file's own header and each rejected record as uploaded (for a mapped file too, every column, read by the mapping or not), then row_number, line_number and errors: fixed, it can be uploaded again as is. Cells starting with =, +, -, @, tab, CR or LF are prefixed with a quote so no spreadsheet runs them; the database keeps the original values.",
    tag: 'error reports',
    access: 'viewer',
    params: s.idParams,
    responses: {
      200: { description: 'The report.', contentTypes: [contentType], headers: DOWNLOAD },
      404: s.notFound('import'),
    },
  };
}

function actionResponses(schema: z.ZodType): RouteSpec['responses'] {
  return {
    202: { description: 'Accepted; the workflow acts on it.', schema },
    404: s.notFound('import'),
    409: { description: 'The import is not in a state that allows this action.', schema: s.problemSchema },
  };
}

function links(id: number) {
  return {
    self: `/api/imports/${id}`,
    errors: `/api/imports/${id}/errors`,
    errorsCsv: `/api/imports/${id}/errors.csv`,
    errorsXlsx: `/api/imports/${id}/errors.xlsx`,
    rollbackPreview: `/api/imports/${id}/rollback-preview`,
  };
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
    purgedAt: imp.purgedAt,
    workflowId: imp.workflowId,
    options: imp.options,
    parentImportId: typeof imp.options.parentImportId === 'number' ? imp.options.parentImportId : null,
    locale: {
      region: imp.region,
      nationalIdScheme: imp.nationalIdScheme,
      dateOrder: imp.dateOrder,
      dateEra: imp.dateEra,
    },
    progress: {
      rowsProcessed: imp.rowsProcessed,
      total: imp.total,
      percent: imp.total === 0 ? 0 : Math.floor((100 * imp.rowsProcessed) / imp.total),
      staging: imp.stagingState,
    },
    counts: countsOf(imp),
    verification: imp.verification,
    timeline: imp.phaseLog,
    rollback: imp.rollbackReport,
    failure: imp.failure,
    ...(events ? { audit: events } : {}),
    links: links(imp.id),
  };
}
