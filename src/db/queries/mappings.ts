import type { Queryable } from '../queryable';

export interface SavedMapping {
  id: number;
  name: string;
  fields: Record<string, unknown>;
  createdBy: string;
  createdAt: Date;
}

const COLUMNS = `id::int, name, fields, created_by AS "createdBy", created_at AS "createdAt"`;

export async function insertMapping(db: Queryable, m: { name: string; fields: Record<string, unknown>; createdBy: string }): Promise<SavedMapping> {
  const { rows } = await db.query<SavedMapping>(`INSERT INTO import_mappings (name, fields, created_by) VALUES ($1, $2, $3) RETURNING ${COLUMNS}`, [m.name, JSON.stringify(m.fields), m.createdBy]);
  return rows[0];
}

export async function findMapping(db: Queryable, id: number): Promise<SavedMapping | null> {
  const { rows } = await db.query<SavedMapping>(`SELECT ${COLUMNS} FROM import_mappings WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

export async function listMappings(db: Queryable): Promise<SavedMapping[]> {
  const { rows } = await db.query<SavedMapping>(`SELECT ${COLUMNS} FROM import_mappings ORDER BY id DESC LIMIT 500`);
  return rows;
}
