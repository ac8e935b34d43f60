import { Router } from 'express';
import { z } from 'zod';
import { FerryError } from '../../errors';
import { displayName } from '../../files/display-name';
import type { ImportDeps } from '../../imports/deps';
import { importOptionsSchema } from '../../imports/import-options';
import { previewMapping } from '../../imports/mapping-preview';
import { requireAdmin } from '../auth';
import { documented, type ApiRegistry, type RouteSpec } from '../openapi';
import { problemSchema } from '../schemas';
import { uploadSingleFile } from '../upload';

const previewForm = importOptionsSchema.pick({ encoding: true, delimiter: true, sheet: true }).extend({
  fields: z.string().max(20_000).optional().meta({
    description:
      "The mapping's fields as JSON, as POST /api/mappings takes them; absent: only the header and first rows.",
  }),
});
const previewFormDoc = previewForm.extend({
  file: z
    .string()
    .meta({ description: 'The file to map (CSV or .xlsx).', contentMediaType: 'application/octet-stream' }),
});

const errorSchema = z.object({ field: z.string(), code: z.string(), message: z.string() });
const previewSchema = z.object({
  header: z.array(z.string()),
  rows: z.array(z.array(z.string())).meta({ description: 'The first records as the file holds them.' }),
  mapped: z
    .object({
      columns: z.array(z.string()).meta({
        description:
          'The mapped fields, then each custom attribute as attributes.<key> (its value as it would be stored).',
      }),
      missing: z.array(z.string()).meta({ description: 'Columns the mapping names that the file lacks.' }),
      records: z.array(
        z.object({
          rowNumber: z.number(),
          values: z.record(z.string(), z.string()),
          ok: z.boolean(),
          errors: z.array(errorSchema),
        }),
      ),
    })
    .nullable(),
});

const spec: RouteSpec = {
  summary: 'Preview a file through a mapping before saving it',
  description:
    "Reads the file's header and first 5 records (CSV or .xlsx, as an import reads them) and, given a mapping's fields, shows those records as the mapped source would import them with their validation results. Nothing is stored.",
  tag: 'mappings',
  access: 'admin',
  body: { contentType: 'multipart/form-data', schema: previewFormDoc },
  responses: {
    200: { description: 'The preview.', schema: previewSchema },
    400: {
      description: 'FILE_REQUIRED, or fields that are not a valid mapping (INVALID_REQUEST).',
      schema: problemSchema,
    },
    422: {
      description: "The file cannot be read (the upload's checks: NOT_TEXT, INVALID_ENCODING, NO_HEADER…).",
      schema: problemSchema,
    },
  },
};

/** The mapping screen's preview: the file's first records through a draft mapping. */
export function mappingPreviewRoutes(
  deps: ImportDeps & { registry: ApiRegistry; maxUploadBytes: number; uploadDir: string },
): Router {
  const router = Router();
  const api = documented(router, deps.registry, '/api/mappings');
  api.post('/preview', spec, requireAdmin, uploadSingleFile(deps.maxUploadBytes, deps.uploadDir), async (req, res) => {
    if (!req.file)
      throw new FerryError('FILE_REQUIRED', 'a multipart field "file" with the file to map is required', 400);
    const { fields, ...dialect } = previewForm.parse(req.body ?? {});
    const options = importOptionsSchema.parse(dialect);
    const parsed = fields === undefined ? undefined : parseJson(fields);
    res.json(
      await previewMapping(
        deps,
        { path: req.file.path, fileName: displayName(req.file.originalname), options },
        parsed,
      ),
    );
  });
  return router;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new FerryError('INVALID_REQUEST', 'fields: not valid JSON', 400, undefined, { cause: err });
  }
}
