import { Router } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import { findMapping, insertMapping, listMappings, type SavedMapping } from '../../db/queries/mappings';
import { CURRENCY_CODES } from '../../sources/mapped/currency';
import { ATTRIBUTE_TYPES } from '../../sources/mapped/attribute-values';
import { mappingSchema } from '../../sources/mapped/mapping';
import { attributeRules } from '../../sources/mapped/mapping-rules';
import { NotFoundError } from '../../errors';
import { callerOf, requireAdmin } from '../auth';
import { documented, type ApiRegistry } from '../openapi';
import { idParamsOf, notFound, problemSchema } from '../schemas';

const idParams = idParamsOf('The mapping id.');
const attributeSchema = z.object({
  key: z.string(),
  type: z.enum(ATTRIBUTE_TYPES),
  format: z.string().optional(),
  buddhistEra: z.boolean().optional(),
  currency: z.enum(CURRENCY_CODES).optional(),
});
const savedSchema = z.object({
  id: z.number(),
  name: z.string(),
  fields: z.record(z.string(), z.unknown()),
  /** The custom attributes the mapping fills (its attributes.<key> targets), with how each is read. */
  attributes: z.array(attributeSchema),
  region: z.string().nullable(),
  nationalIdScheme: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
});

/** The saved mapping with its attributes listed by key (jsonb keeps no order of its own). */
function described(saved: SavedMapping) {
  const fields = mappingSchema.shape.fields.safeParse(saved.fields);
  return {
    ...saved,
    attributes: fields.success
      ? attributeRules(fields.data)
          .map(({ key, rule }) => ({ key, ...rule }))
          .sort((a, b) => a.key.localeCompare(b.key))
      : [],
  };
}

/** Saved column mappings for the `mapped` source: POST to save one, GET to list or read one. */
export function mappingRoutes(deps: { pool: pg.Pool }, registry: ApiRegistry): Router {
  const router = Router();
  const api = documented(router, registry, '/api/mappings');
  const tag = 'mappings';
  const description =
    'fields maps a customer field (external_id, first_name, last_name, full_name, gender, date_of_birth, phone, email, total_sales) or a custom attribute attributes.<key> ' +
    '(lower-case letters, digits, underscores; type text, date, number or amount) to a column, a join of columns or a constant, with an optional default. ' +
    'total_sales and amount attributes keep the currency their text names; currency sets it for bare numbers; convert (total_sales) fixes rates into one currency. See docs/mappings.md.';
  api.post(
    '/',
    {
      summary: 'Save a column mapping for the mapped source',
      description,
      tag,
      access: 'admin',
      body: { contentType: 'application/json', schema: mappingSchema },
      responses: {
        201: { description: 'The saved mapping.', schema: savedSchema },
        400: { description: 'Not a valid mapping.', schema: problemSchema },
      },
    },
    requireAdmin,
    async (req, res) => {
      const mapping = mappingSchema.parse(req.body ?? {});
      const saved = await insertMapping(deps.pool, {
        name: mapping.name,
        fields: mapping.fields,
        region: mapping.region,
        nationalIdScheme: mapping.nationalIdScheme,
        createdBy: callerOf(res).name,
      });
      res.status(201).location(`/api/mappings/${saved.id}`).json(described(saved));
    },
  );
  api.get(
    '/',
    {
      summary: 'Saved mappings, newest first',
      tag,
      access: 'viewer',
      responses: { 200: { description: 'The mappings.', schema: z.object({ items: z.array(savedSchema) }) } },
    },
    async (_req, res) => {
      res.json({ items: (await listMappings(deps.pool)).map(described) });
    },
  );
  api.get(
    '/:id',
    {
      summary: 'One saved mapping',
      tag,
      access: 'viewer',
      params: idParams,
      responses: {
        200: { description: 'The mapping.', schema: savedSchema },
        404: notFound('mapping'),
      },
    },
    async (req, res) => {
      const { id } = idParams.parse(req.params);
      const saved = await findMapping(deps.pool, id);
      if (!saved) throw new NotFoundError(`mapping ${id}`);
      res.json(described(saved));
    },
  );
  return router;
}
