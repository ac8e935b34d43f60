import { Router } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import { findMapping, insertMapping, listMappings } from '../../db/queries/mappings';
import { mappingSchema } from '../../domain/sources/mapping';
import { NotFoundError } from '../../errors';
import { callerOf, requireAdmin } from '../auth';
import { documented, type ApiRegistry } from '../openapi';
import { problemSchema } from '../schemas';

const idParams = z.object({ id: z.coerce.number().int().positive() });
const savedSchema = z.object({ id: z.number(), name: z.string(), fields: z.record(z.string(), z.unknown()), region: z.string().nullable(), nationalIdScheme: z.string().nullable(), createdBy: z.string(), createdAt: z.string() });

/** Saved column mappings for the `mapped` source: POST to save one, GET to list or read one. */
export function mappingRoutes(deps: { pool: pg.Pool }, registry: ApiRegistry): Router {
  const router = Router();
  const api = documented(router, registry, '/api/mappings');
  const tag = 'mappings';
  api.post('/', { summary: 'Save a column mapping for the mapped source', tag, access: 'admin', body: { contentType: 'application/json', schema: mappingSchema }, responses: { 201: { description: 'The saved mapping.', schema: savedSchema }, 400: { description: 'Not a valid mapping.', schema: problemSchema } } }, requireAdmin, async (req, res) => {
    const mapping = mappingSchema.parse(req.body ?? {});
    const saved = await insertMapping(deps.pool, { name: mapping.name, fields: mapping.fields, region: mapping.region, nationalIdScheme: mapping.nationalIdScheme, createdBy: callerOf(res).name });
    res.status(201).location(`/api/mappings/${saved.id}`).json(saved);
  });
  api.get('/', { summary: 'Saved mappings, newest first', tag, access: 'viewer', responses: { 200: { description: 'The mappings.', schema: z.object({ items: z.array(savedSchema) }) } } }, async (_req, res) => {
    res.json({ items: await listMappings(deps.pool) });
  });
  api.get('/:id', { summary: 'One saved mapping', tag, access: 'viewer', params: idParams, responses: { 200: { description: 'The mapping.', schema: savedSchema }, 404: { description: 'No such mapping.', schema: problemSchema } } }, async (req, res) => {
    const { id } = idParams.parse(req.params);
    const saved = await findMapping(deps.pool, id);
    if (!saved) throw new NotFoundError(`mapping ${id}`);
    res.json(saved);
  });
  return router;
}
