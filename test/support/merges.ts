import type { Stack } from './stack';

/** POSTs JSON as the admin (or the given token). */
export async function postJson(
  stack: Stack,
  path: string,
  body: unknown,
  token = stack.adminToken,
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${stack.baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

/** Merges the customers through the api and waits for the merge workflow; returns the merge id. */
export async function mergeCustomersVia(stack: Stack, survivorId: number, mergedIds: number[]): Promise<number> {
  const res = await postJson(stack, '/api/merges', { survivorId, mergedIds });
  if (res.status !== 202) throw new Error(`merge refused: ${JSON.stringify(res.body)}`);
  await stack.client.workflow.getHandle(res.body.workflowId).result();
  return res.body.id;
}

/** Undoes a merge through the api and waits for the unmerge workflow. */
export async function undoMergeVia(stack: Stack, mergeId: number): Promise<void> {
  const res = await postJson(stack, `/api/merges/${mergeId}/undo`, {});
  if (res.status !== 202) throw new Error(`undo refused: ${JSON.stringify(res.body)}`);
  await stack.client.workflow.getHandle(res.body.workflowId).result();
}

/** Every CRM table a merge may write, each row as PostgreSQL prints it, in id order. */
export async function dumpTables(stack: Stack): Promise<Record<string, string[]>> {
  const { rows: tables } = await stack.pool.query<{ t: string }>(
    `SELECT DISTINCT conrelid::regclass::text AS t FROM pg_constraint WHERE contype = 'f' AND confrelid = 'customers'::regclass UNION SELECT 'customers' ORDER BY 1`,
  );
  const dump: Record<string, string[]> = {};
  for (const { t } of tables)
    dump[t] = (await stack.pool.query(`SELECT x::text AS row FROM ${t} x ORDER BY id`)).rows.map((r) => r.row);
  return dump;
}

/** A customer with one phone and one Nana legacy id, written as another system would. */
export async function plantCustomer(
  stack: Stack,
  first: string,
  last: string,
  phone: string,
  nanaId: string,
): Promise<number> {
  const {
    rows: [c],
  } = await stack.pool.query(`INSERT INTO customers (first_name, last_name) VALUES ($1, $2) RETURNING id::int`, [
    first,
    last,
  ]);
  await stack.pool.query(`INSERT INTO customer_phones (customer_id, phone) VALUES ($1, $2)`, [c.id, phone]);
  await stack.pool.query(`INSERT INTO customer_relations (customer_id, source, original_id) VALUES ($1, 'nana', $2)`, [
    c.id,
    nanaId,
  ]);
  return c.id;
}
