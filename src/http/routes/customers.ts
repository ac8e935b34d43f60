import { Router } from 'express';
import { z } from 'zod';
import { customerRecord } from '../../imports/customer-record';
import type { ImportDeps } from '../../imports/deps';
import { documented, type ApiRegistry } from '../openapi';
import { idParamsOf, notFound } from '../schemas';

const params = idParamsOf('The customer id.');
const customerSchema = z.object({
  id: z.number(),
  firstName: z.string(),
  lastName: z.string(),
  gender: z.string().nullable(),
  dateOfBirth: z.string().nullable(),
  importId: z
    .number()
    .nullable()
    .meta({ description: 'The import that created the customer; null for one that was there before Ferry.' }),
  phones: z.array(z.string()),
  emails: z.array(z.string()),
  companies: z.array(z.string()),
  relations: z
    .array(
      z.object({ source: z.string(), originalId: z.string(), active: z.boolean(), importId: z.number().nullable() }),
    )
    .meta({ description: 'Legacy ids linked to the customer, active ones first.' }),
});

/** One CRM customer, where a record's outcome leads. */
export function customerRoutes(deps: ImportDeps & { registry: ApiRegistry }): Router {
  const router = Router();
  const api = documented(router, deps.registry, '/api/customers');
  const spec = {
    summary: 'What the CRM holds for a customer',
    tag: 'customers',
    access: 'viewer' as const,
    params,
    responses: {
      200: { description: 'The customer.', schema: customerSchema },
      404: notFound('customer'),
    },
  };
  api.get('/:id', spec, async (req, res) => {
    res.json(await customerRecord(deps, params.parse(req.params).id));
  });
  return router;
}
