import { Router } from 'express';
import { stringify } from 'csv-stringify/sync';
import { findSource, sources } from '../../domain/sources';
import { NotFoundError } from '../../errors';
import { documented, type ApiRegistry } from '../openapi';
import { problemSchema, sourceParams, sourcesSchema } from '../schemas';

export function sourceRoutes(registry: ApiRegistry): Router {
  const router = Router();
  const api = documented(router, registry, '/api/sources');
  api.get('/', { summary: 'Sources with their columns', tag: 'sources', access: 'viewer', responses: { 200: { description: 'Every source Ferry can import.', schema: sourcesSchema } } }, (_req, res) => {
    res.json({
      items: Object.values(sources).map((s) => ({ name: s.name, label: s.label, description: s.description, columns: s.columns, template: `/api/sources/${s.name}/template.csv` })),
    });
  });
  const templateSpec = {
    summary: 'A sample CSV for a source',
    tag: 'sources',
    access: 'viewer' as const,
    params: sourceParams,
    responses: { 200: { description: 'The template.', contentTypes: ['text/csv'] }, 404: { description: 'No such source.', schema: problemSchema } },
  };
  api.get('/:source/template.csv', templateSpec, (req, res) => {
    const { source: name } = sourceParams.parse(req.params);
    const source = findSource(name);
    if (!source) throw new NotFoundError(`source ${name}`);
    const names = source.columns.map((c) => c.name);
    const body = stringify([names, ...source.templateRows.map((r) => names.map((n) => r[n] ?? ''))]);
    res.type('text/csv; charset=utf-8').attachment(`${source.name}-template.csv`).send(body);
  });
  return router;
}
