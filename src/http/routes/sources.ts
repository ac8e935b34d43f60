import { Router } from 'express';
import { stringify } from 'csv-stringify/sync';
import { findSource, sources } from '../../domain/sources';
import { NotFoundError } from '../../errors';

export function sourceRoutes(): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.json({
      items: Object.values(sources).map((s) => ({ name: s.name, label: s.label, description: s.description, columns: s.columns, template: `/api/sources/${s.name}/template.csv` })),
    });
  });
  router.get('/:source/template.csv', (req, res) => {
    const source = findSource(req.params.source);
    if (!source) throw new NotFoundError(`source ${req.params.source}`);
    const names = source.columns.map((c) => c.name);
    const body = stringify([names, ...source.templateRows.map((r) => names.map((n) => r[n] ?? ''))]);
    res.type('text/csv; charset=utf-8').attachment(`${source.name}-template.csv`).send(body);
  });
  return router;
}
