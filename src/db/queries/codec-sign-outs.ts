import type { Queryable } from '../queryable';

/** Records a sign-out; a later one replaces an earlier one, never the other way round. */
export async function recordSignOut(db: Queryable, actor: string, at: Date): Promise<void> {
  await db.query(
    `INSERT INTO codec_sign_outs (actor, signed_out_at) VALUES ($1, $2)
     ON CONFLICT (actor) DO UPDATE SET signed_out_at = greatest(codec_sign_outs.signed_out_at, excluded.signed_out_at)`,
    [actor, at],
  );
}

export async function lastSignOut(db: Queryable, actor: string): Promise<Date | null> {
  const { rows } = await db.query<{ at: Date }>(`SELECT signed_out_at AS at FROM codec_sign_outs WHERE actor = $1`, [
    actor,
  ]);
  return rows[0]?.at ?? null;
}
