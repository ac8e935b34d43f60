import type { NationalIdScheme } from '../../domain/national-id';
import type { Region } from '../../domain/region';
import type { Queryable } from '../queryable';

export interface SavedMapping {
  id: number;
  name: string;
  fields: Record<string, unknown>;
  /** Null: the upload's option, else the deployment's DEFAULT_REGION. */
  region: Region | null;
  nationalIdScheme: NationalIdScheme | null;
  createdBy: string;
  createdAt: Date;
}

const COLUMNS = `id::int, name, fields, region, national_id_scheme AS "nationalIdScheme", created_by AS "createdBy", created_at AS "createdAt"`;

export async function insertMapping(
  db: Queryable,
  m: {
    name: string;
    fields: Record<string, unknown>;
    region?: Region;
    nationalIdScheme?: NationalIdScheme;
    createdBy: string;
  },
): Promise<SavedMapping> {
  const { rows } = await db.query<SavedMapping>(
    `INSERT INTO import_mappings (name, fields, created_by, region, national_id_scheme) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
    [m.name, JSON.stringify(m.fields), m.createdBy, m.region ?? null, m.nationalIdScheme ?? null],
  );
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
