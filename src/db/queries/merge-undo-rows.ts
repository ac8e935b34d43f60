import type pg from 'pg';

/*
 * An undo puts each row a merge wrote back to its before-image, but only where the row is still
 * exactly as the merge left it: a row a later import or merge changed since is kept, and counted.
 */

export interface TableUndo {
  table: string;
  /** Rows still as the merge left them (or deleted by it and not re-created): restored. */
  restorable: number;
  /** Rows changed since the merge: kept as they are. */
  changedSince: number;
}

/** Per table, how many of the merge's rows an undo would restore and how many it would keep. */
export async function undoPlan(db: pg.ClientBase, mergeId: number): Promise<TableUndo[]> {
  const tables = await changedTables(db, mergeId);
  const plan: TableUndo[] = [];
  for (const table of tables) {
    const {
      rows: [r],
    } = await db.query<{ restorable: string; total: string }>(
      `SELECT count(*) FILTER (WHERE CASE WHEN c.after IS NULL THEN t.id IS NULL ELSE to_jsonb(t) = c.after END) AS restorable, count(*) AS total
       FROM merge_changes c LEFT JOIN ${table} t ON t.id = c.row_id
       WHERE c.merge_id = $1 AND c.table_name = $2`,
      [mergeId, table],
    );
    plan.push({ table, restorable: Number(r!.restorable), changedSince: Number(r!.total) - Number(r!.restorable) });
  }
  return plan;
}

/** Restores the merge's rows that are still as it left them; returns the counts per table. */
export async function restoreRows(db: pg.ClientBase, mergeId: number): Promise<TableUndo[]> {
  const plan = await undoPlan(db, mergeId);
  for (const { table } of plan) {
    const columns = await columnsOf(db, table);
    const list = columns.map((c) => `"${c}"`).join(', ');
    await db.query(
      `UPDATE ${table} t SET (${list}) = (SELECT ${columns.map((c) => `r."${c}"`).join(', ')} FROM jsonb_populate_record(NULL::${table}, c.before) r)
       FROM merge_changes c WHERE c.merge_id = $1 AND c.table_name = $2 AND c.after IS NOT NULL AND t.id = c.row_id AND to_jsonb(t) = c.after`,
      [mergeId, table],
    );
    await db.query(
      `INSERT INTO ${table} (${list})
       SELECT ${columns.map((c) => `r."${c}"`).join(', ')} FROM merge_changes c, jsonb_populate_record(NULL::${table}, c.before) r
       WHERE c.merge_id = $1 AND c.table_name = $2 AND c.after IS NULL AND NOT EXISTS (SELECT 1 FROM ${table} x WHERE x.id = c.row_id)
       ORDER BY c.row_id`,
      [mergeId, table],
    );
  }
  return plan;
}

/** Later completed merges that wrote a row this merge wrote: undoing this one leaves their rows as they are. */
export async function laterMergesOnSameRows(db: pg.ClientBase, mergeId: number): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    `SELECT DISTINCT l.merge_id::float8 AS id FROM merge_changes c
     JOIN merge_changes l ON l.table_name = c.table_name AND l.row_id = c.row_id AND l.merge_id > c.merge_id
     JOIN merges m ON m.id = l.merge_id AND m.status = 'completed'
     WHERE c.merge_id = $1 ORDER BY 1`,
    [mergeId],
  );
  return rows.map((r) => r.id);
}

async function changedTables(db: pg.ClientBase, mergeId: number): Promise<string[]> {
  const { rows } = await db.query<{ table_name: string }>(
    `SELECT DISTINCT table_name FROM merge_changes WHERE merge_id = $1 ORDER BY 1`,
    [mergeId],
  );
  // The names came from the catalog when the merge wrote them, and are spliced into SQL here.
  const odd = rows.find((r) => !/^[a-z_][a-z0-9_]*$/.test(r.table_name));
  if (odd) throw new Error(`merge ${mergeId} names a table this undo cannot address: ${odd.table_name}`);
  return rows.map((r) => r.table_name);
}

async function columnsOf(db: pg.ClientBase, table: string): Promise<string[]> {
  const { rows } = await db.query<{ attname: string }>(
    `SELECT attname FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = '' ORDER BY attnum`,
    [table],
  );
  return rows.map((r) => r.attname);
}
