/**
 * `npx tsx bench/rollback-steps.ts --database <db> --scenario reimport|takeover|force [--code <dir>]`: the
 * time of each rollback step, on a copy of the bench's database after a 1M import (import 1), with
 * later work made up in SQL that the bench's single import does not have:
 *   reimport: a later import that updated every customer and sync-history row of import 1 (their
 *     before-images) and deactivated its pairs, making a third of them anew as its own; that import
 *     is rolled back.
 *   takeover: the same re-import, and after it a third import that took over half of the pairs the
 *     re-import made and a third of the pairs it left with no active one; those stay deactivated
 *     when the re-import is rolled back.
 *   force: a later import with a points row for every customer of import 1 (two for every tenth)
 *     that also synced half its records again; import 1 is rolled back with force.
 * The database is changed: run it on a copy (`CREATE DATABASE x TEMPLATE ferry_bench`). `--code`
 * runs another checkout's rollback (a worktree of an earlier commit) for a comparison in one hour.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import type pg from 'pg';

const SCENARIOS = ['reimport', 'takeover', 'force'] as const;
type Scenario = (typeof SCENARIOS)[number];

const { values: args } = parseArgs({
  options: {
    database: { type: 'string' },
    scenario: { type: 'string' },
    code: { type: 'string', default: '.' },
    'admin-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432' },
  },
});

async function main(): Promise<void> {
  if (!args.database || !SCENARIOS.includes(args.scenario as Scenario))
    throw new Error(`usage: --database <db> --scenario ${SCENARIOS.join('|')} [--code <dir>]`);
  const root = path.resolve(args.code!);
  const { rollbackImport, rollbackPreview } = await import(path.join(root, 'src/imports/rollback-import.ts'));
  const { createPool } = await import(path.join(root, 'src/db/pool.ts'));
  const pool: pg.Pool = createPool(`${args['admin-url']}/${args.database}`, 4);
  try {
    const started = performance.now();
    const { importId, force } = await makeLaterWork(pool, args.scenario as Scenario);
    console.log(`later work made in ${seconds(started)} s; before: ${JSON.stringify(await counts(pool))}`);
    const deps = { pool, clock: { now: () => new Date() } };
    const previewed = performance.now();
    const preview = await rollbackPreview(deps, importId, force);
    console.log(
      `preview in ${seconds(previewed)} s: restore ${preview.restore.relations} pairs, ${preview.keep.relationsNotRestored} not restored, later work ${JSON.stringify(preview.laterWork ?? null)}`,
    );
    const steps = new Map<string, { seconds: number; chunks: number }>();
    let last = performance.now();
    const t0 = last;
    const plan = await rollbackImport(deps, importId, { force, actor: 'bench' }, (step: string) => {
      const s = steps.get(step) ?? { seconds: 0, chunks: 0 };
      s.seconds += (performance.now() - last) / 1000;
      s.chunks++;
      steps.set(step, s);
      last = performance.now();
    });
    console.log(
      `rollback of import ${importId}${force ? ' (force)' : ''}: ${seconds(t0)} s (the first step includes the plan)`,
    );
    for (const [name, s] of steps)
      if (s.seconds >= 0.2)
        console.log(`  ${name.padEnd(36)} ${s.seconds.toFixed(1).padStart(7)} s  ${s.chunks} chunks`);
    console.log(`after: ${JSON.stringify(await counts(pool))}`);
    const {
      rows: [left],
    } = await pool.query(`SELECT count(*)::int AS n FROM customer_relations WHERE deactivated_by_import_id = $1`, [
      importId,
    ]);
    console.log(`peak RSS of this process: ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
    console.log(`pairs the plan left deactivated: ${plan.keep.relationsNotRestored}; left deactivated: ${left.n}`);
  } finally {
    await pool.end();
  }
}

const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);

async function makeLaterWork(pool: pg.Pool, scenario: Scenario): Promise<{ importId: number; force: boolean }> {
  const q = (sql: string, params: unknown[] = []) => pool.query(sql, params);
  const laterImport = async (fileName: string) => {
    const {
      rows: [later],
    } = await q(
      `INSERT INTO imports (source, file_name, file_sha256, file_bytes, encoding, header, options, created_by, status, phase)
       SELECT source, $1, repeat('b', 64), 1, encoding, header, options, 'bench', 'completed', 'done' FROM imports WHERE id = 1 RETURNING id::int`,
      [fileName],
    );
    return later.id as number;
  };
  const id = await laterImport('later.csv');
  if (scenario === 'force') {
    await q(
      `INSERT INTO points_transactions (customer_id, member_id, type, points, delta, occurred_on, import_id, row_number)
       SELECT c.id, 'm' || c.id, 'credit', 10, 10, '2026-01-01', $1, 1 FROM customers c, generate_series(1, CASE WHEN c.id % 10 = 0 THEN 2 ELSE 1 END) WHERE c.import_id = 1`,
      [id],
    );
    await q(`UPDATE sync_history SET import_id = $1 WHERE import_id = 1 AND id % 2 = 0`, [id]);
  } else {
    await q(
      `INSERT INTO import_before_images (import_id, table_name, row_id, before)
       SELECT $1, 'customers', c.id, jsonb_build_object('first_name', c.first_name, 'last_name', c.last_name, 'gender', c.gender, 'date_of_birth', c.date_of_birth)
       FROM customers c WHERE c.import_id = 1`,
      [id],
    );
    await q(`UPDATE customers SET first_name = 'X' WHERE import_id = 1`);
    await q(
      `INSERT INTO import_before_images (import_id, table_name, row_id, before)
       SELECT $1, 'sync_history', s.id, jsonb_build_object('customer_id', s.customer_id, 'hash', s.hash, 'import_id', s.import_id, 'synced_at', s.synced_at)
       FROM sync_history s WHERE s.import_id = 1`,
      [id],
    );
    await q(`UPDATE sync_history SET import_id = $1, hash = 'x' WHERE import_id = 1`, [id]);
    await q(
      `UPDATE customer_relations SET active = false, deactivated_by_import_id = $1, deactivated_at = now() WHERE import_id = 1 AND active`,
      [id],
    );
    await q(
      `INSERT INTO customer_relations (customer_id, source, original_id, active, import_id)
       SELECT DISTINCT ON (source, original_id) customer_id, source, original_id, true, $1 FROM customer_relations
        WHERE deactivated_by_import_id = $1 AND id % 3 = 0 ON CONFLICT DO NOTHING`,
      [id],
    );
  }
  if (scenario === 'takeover') {
    const third = await laterImport('third.csv');
    // Taken over from the re-import: half of its own active pairs, and a third of those it left with none.
    await q(
      `WITH taken AS (SELECT id FROM customer_relations WHERE import_id = $1 AND active AND id % 2 = 0),
            left_alone AS (SELECT DISTINCT ON (r.source, r.original_id) r.id FROM customer_relations r
                            WHERE r.deactivated_by_import_id = $1 AND r.id % 3 = 1
                              AND NOT EXISTS (SELECT 1 FROM customer_relations a WHERE a.source = r.source AND a.original_id = r.original_id AND a.active)),
            off AS (UPDATE customer_relations SET active = false, deactivated_by_import_id = $2, deactivated_at = now()
                     WHERE id IN (SELECT id FROM taken) RETURNING customer_id, source, original_id)
       INSERT INTO customer_relations (customer_id, source, original_id, active, import_id)
       SELECT customer_id, source, original_id, true, $2 FROM off
       UNION ALL SELECT customer_id, source, original_id, true, $2 FROM customer_relations WHERE id IN (SELECT id FROM left_alone)`,
      [id, third],
    );
  }
  await q('VACUUM ANALYZE');
  return scenario === 'force' ? { importId: 1, force: true } : { importId: id, force: false };
}

async function counts(pool: pg.Pool): Promise<Record<string, number>> {
  const {
    rows: [r],
  } = await pool.query(
    `SELECT (SELECT count(*) FROM customers)::int AS customers, (SELECT count(*) FROM customers WHERE first_name = 'X')::int AS "customersChanged",
            (SELECT count(*) FROM points_transactions)::int AS points, (SELECT count(*) FROM sync_history)::int AS "syncHistory",
            (SELECT count(*) FROM customer_relations WHERE active)::int AS "activeRelations", (SELECT count(*) FROM import_before_images)::int AS "beforeImages"`,
  );
  return r;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
