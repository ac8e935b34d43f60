import type { Queryable } from '../queryable';

export interface CustomerRelation {
  source: string;
  originalId: string;
  active: boolean;
  importId: number | null;
}

/** The legacy ids linked to a customer, active ones first, for showing what the CRM holds. */
export async function relationsOf(db: Queryable, customerId: number): Promise<CustomerRelation[]> {
  const { rows } = await db.query<CustomerRelation>(
    `SELECT source, original_id AS "originalId", active, import_id::int AS "importId"
       FROM customer_relations WHERE customer_id = $1 ORDER BY active DESC, id`,
    [customerId],
  );
  return rows;
}
