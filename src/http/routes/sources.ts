import { Router } from 'express';
import { findSource, sources } from '../../sources';
import { NotFoundError } from '../../errors';
import { templateCsv, templateXlsx } from '../../imports/source-template';
import { documented, type ApiRegistry } from '../openapi';
import { notFound, sourceParams, sourcesSchema } from '../schemas';

export function sourceRoutes(registry: ApiRegistry): Router {
  const router = Router();
  const api = documented(router, registry, '/api/sources');
  api.get(
    '/',
    {
      summary: 'Sources with their columns',
      tag: 'sources',
      access: 'viewer',
      responses: { 200: { description: 'Every source Ferry can import.', schema: sourcesSchema } },
    },
    (_req, res) => {
      res.json({
        items: Object.values(sources).map((s) => ({
          name: s.name,
          label: s.label,
          description: s.description,
          columns: s.columns,
          duplicateStrategies: s.duplicateStrategies ?? [],
          template: `/api/sources/${s.name}/template.csv`,
          templateXlsx: `/api/sources/${s.name}/template.xlsx`,
        })),
      });
    },
  );
  const templateSpec = {
    summary: 'A sample CSV for a source',
    tag: 'sources',
    access: 'viewer' as const,
    params: sourceParams,
    responses: {
      200: { description: 'The template.', contentTypes: ['text/csv'] },
      404: notFound('source'),
    },
  };
  const sourceOf = (params: unknown) => {
    const { source: name } = sourceParams.parse(params);
    const source = findSource(name);
    if (!source) throw new NotFoundError(`source ${name}`);
    return source;
  };
  api.get('/:source/template.csv', templateSpec, (req, res) => {
    const source = sourceOf(req.params);
    res.type('text/csv; charset=utf-8').attachment(`${source.name}-template.csv`).send(templateCsv(source));
  });
  const xlsxSpec = {
    ...templateSpec,
    summary: 'A sample workbook for a source, with a Rules sheet',
    responses: {
      ...templateSpec.responses,
      200: {
        description: 'The template.',
        contentTypes: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      },
    },
  };
  api.get('/:source/template.xlsx', xlsxSpec, async (req, res) => {
    const source = sourceOf(req.params);
    res
      .type('xlsx')
      .attachment(`${source.name}-template.xlsx`)
      .send(await templateXlsx(source));
  });
  return router;
}
