import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { balances, getJson, post, upload, waitForImport } from '../support/http';
import { crmSnapshot, expectSameAsUninterrupted } from '../support/db-state';
import { nanaFile } from '../support/generate-nana';
import { startStack, type Stack } from '../support/stack';
import { expectInvariants, runsOf, until } from './faults/support';

// A file larger than STAGE_CHUNK_RECORDS: its run starts once the first chunk is staged, and its
// batches follow the rest of the file as it is staged. `pipelined` stages in chunks of 50 records;
// `reference` stages every file of this test whole before its run starts, as small files always are.
let pipelined: Stack;
let reference: Stack;
beforeAll(async () => {
  [pipelined, reference] = await Promise.all([
    // Short runs: continue-as-new comes while the file is still being staged, and carries that.
    startStack({ stageChunkRecords: 50, stagingBeatGraceSeconds: 20, workflowDefaults: { maxBatchesPerRun: 8 } }),
    startStack(),
  ]);
  await installStagingHold(pipelined.pool);
});
afterAll(async () => Promise.all([pipelined?.close(), reference?.close()]));

const STAGING_HOLD_KEY = 7_246_999;

/**
 * Makes the api's COPY of any record past the first chunk wait while the test holds an advisory
 * lock. The wait is on the staged records alone (a row trigger): the run goes on with the first
 * chunk, and nothing it locks or writes is held.
 */
async function installStagingHold(pool: pg.Pool): Promise<void> {
  await pool.query(`
    CREATE FUNCTION test_hold_staging() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_advisory_xact_lock_shared(${STAGING_HOLD_KEY});
      RETURN NEW;
    END $$;
    CREATE TRIGGER test_hold_staging BEFORE INSERT ON import_rows FOR EACH ROW
      WHEN (NEW.row_number > 50) EXECUTE FUNCTION test_hold_staging();`);
}

async function holdStaging(pool: pg.Pool): Promise<() => Promise<void>> {
  const client = await pool.connect();
  await client.query('SELECT pg_advisory_lock($1)', [STAGING_HOLD_KEY]);
  return async () => {
    await client.query('SELECT pg_advisory_unlock($1)', [STAGING_HOLD_KEY]);
    client.release();
  };
}

async function newestImportAfter(pool: pg.Pool, last: number): Promise<number | undefined> {
  const { rows } = await pool.query(`SELECT id::int FROM imports WHERE id > $1 ORDER BY id LIMIT 1`, [last]);
  return rows[0]?.id;
}

async function lastImportId(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query(`SELECT coalesce(max(id), 0)::int AS last FROM imports`);
  return rows[0].last;
}

async function stagingOf(pool: pg.Pool, id: number) {
  const { rows } = await pool.query(
    `SELECT status, total, staging_state AS "stagingState", rows_processed AS "rowsProcessed",
       (SELECT count(*)::int FROM import_rows r WHERE r.import_id = i.id) AS staged
     FROM imports i WHERE id = $1`,
    [id],
  );
  return rows[0];
}

/** Uploads to the pipelined stack with its staging held after the first chunk until the run has written a batch. */
async function uploadWhileRunImports(file: string, fields: Record<string, string>, fileName: string) {
  const last = await lastImportId(pipelined.pool);
  const release = await holdStaging(pipelined.pool);
  let answer: Promise<{ status: number; body: any }>;
  try {
    answer = upload(pipelined, file, { fields, fileName });
    const id = await until('the import to be created', () => newestImportAfter(pipelined.pool, last), 60_000);
    const whileHeld = await until(
      'a batch past the test batch to commit while the file is still being staged',
      async () => {
        const s = await stagingOf(pipelined.pool, id);
        return s.rowsProcessed >= 45 && s;
      },
      60_000,
    );
    return { id, answer, whileHeld, release };
  } catch (err) {
    // What the database was doing says why: a session waiting on a lock, a pool out of connections.
    const { rows } = await pipelined.pool.query(
      `SELECT state, wait_event, left(query, 60) AS query FROM pg_stat_activity
       WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    );
    await release();
    throw new Error(`${(err as Error).message}; sessions: ${JSON.stringify(rows)}`, { cause: err });
  }
}

const FIELDS = { batchSize: '25', testBatchSize: '20' };

describe('a file staged while its run imports', () => {
  it('starts the run with the first chunk, imports in file order as the rest arrives, and ends as the file staged whole', async () => {
    const file = nanaFile({ records: 3_000, seed: 404, duplicatePhoneRate: 0.1 });
    const { id, answer, whileHeld, release } = await uploadWhileRunImports(file, FIELDS, 'nana-large.csv');
    let again: Awaited<ReturnType<typeof upload>>;
    let shown: Awaited<ReturnType<typeof getJson>>;
    try {
      again = await upload(pipelined, file, { fields: FIELDS, fileName: 'nana-large.csv' });
      shown = await getJson(pipelined, `/api/imports/${id}`);
    } finally {
      await release();
    }
    expect([again.status, again.body.id, again.body.replayed], 'the same file sent again is the same import').toEqual([
      200,
      id,
      true,
    ]);
    expect(whileHeld, 'the run wrote the first chunk while the rest waited to be staged').toMatchObject({
      status: 'running',
      total: 50,
      stagingState: 'streaming',
      staged: 50,
    });
    const { status, body } = await answer;
    expect([status, body.id, body.total], 'the upload answers once every record is staged').toEqual([202, id, 3_000]);

    expect(shown.body.progress, 'the api says the total is still growing').toMatchObject({
      total: 50,
      staging: 'streaming',
    });
    const done = await waitForImport(pipelined, id);
    expect(done.status).toBe('completed');
    expect(done.progress).toMatchObject({ total: 3_000, staging: 'done' });
    expect(balances(done)).toBe(true);
    expect(done.verification.ok).toBe(true);
    await expectInvariants(pipelined.pool, id);
    const { rows: events } = await pipelined.pool.query(
      `SELECT details->>'records' AS records FROM import_events WHERE import_id = $1 AND action = 'uploaded'`,
      [id],
    );
    expect(events, 'the upload is recorded once, with the whole file').toEqual([{ records: '3000' }]);
    expect(await runsOf(pipelined, done.workflowId), 'continued as new along the way').toBeGreaterThan(5);

    const whole = await (async () => {
      const res = await upload(reference, file, { fields: FIELDS, fileName: 'nana-large.csv' });
      expect(res.status).toBe(202);
      return waitForImport(reference, res.body.id);
    })();
    expect(whole.status).toBe('completed');
    await expectSameAsUninterrupted(
      { pool: pipelined.pool, importId: id, counts: done.counts },
      { pool: reference.pool, importId: whole.id, counts: whole.counts },
    );
  }, 180_000);

  it('validates the whole file before a dry run ends, however it was staged', async () => {
    const file = nanaFile({ records: 1_200, seed: 405, invalidRate: 0.05 });
    const fields = { dryRun: 'true' };
    const [a, b] = await Promise.all([
      upload(pipelined, file, { fields, fileName: 'nana-dry.csv' }),
      upload(reference, file, { fields, fileName: 'nana-dry.csv' }),
    ]);
    expect([a.status, b.status, a.body.total]).toEqual([202, 202, 1_200]);
    const [dry, wholeDry] = await Promise.all([
      waitForImport(pipelined, a.body.id),
      waitForImport(reference, b.body.id),
    ]);
    expect(dry.status).toBe('validated');
    expect(dry.counts).toEqual(wholeDry.counts);
    expect(dry.counts.valid).toBeLessThan(1_200);
  }, 120_000);
});

describe('an import cancelled while a batch waits for its records to be staged', () => {
  it('rolls back what it wrote; the upload still answers once the file is staged', async () => {
    const before = await crmSnapshot(pipelined.pool);
    const file = nanaFile({ records: 2_000, seed: 408 });
    const { id, answer, release } = await uploadWhileRunImports(file, FIELDS, 'nana-cancelled.csv');
    try {
      expect((await post(pipelined, `/api/imports/${id}/cancel`)).status).toBe(202);
    } finally {
      await release();
    }
    const { status, body } = await answer;
    expect([status, body.total]).toEqual([202, 2_000]);
    const ended = await waitForImport(pipelined, id);
    expect(ended.status).toBe('rolled_back');
    expect(ended.failure.code).toBe('CANCELLED');
    expect(await crmSnapshot(pipelined.pool), 'the CRM as before the upload').toEqual(before);
  }, 120_000);
});

describe('a file found bad after its run started', () => {
  it('answers the file error with the import id, and the run rolls back exactly what its batches wrote', async () => {
    const lines = nanaFile({ records: 21_000, seed: 406 }).trimEnd().split('\n');
    // Record 20,000 has more columns than any file may. The reader checks bytes somewhat ahead of the
    // records it hands over: the bad line lies megabytes past the first chunk, beyond that reach.
    lines.splice(20_000, 0, Array.from({ length: 700 }, () => 'x').join(','));
    const file = lines.join('\n') + '\n';

    const refused = await upload(reference, file, { fields: FIELDS, fileName: 'nana-bad.csv' });
    expect(refused.status, 'staged whole, the file is refused before any import exists').toBe(422);
    expect(refused.body.error.code).toBe('TOO_MANY_COLUMNS');
    expect(refused.body.error.details.importId).toBeUndefined();

    const before = await crmSnapshot(pipelined.pool);
    const { id, answer, whileHeld, release } = await uploadWhileRunImports(file, FIELDS, 'nana-bad.csv');
    await release();
    expect(whileHeld.rowsProcessed, 'batches had written before the bad record was read').toBeGreaterThan(0);
    const { status, body } = await answer;
    expect(status, 'the same answer as the file staged whole').toBe(refused.status);
    expect(body.error).toEqual({
      ...refused.body.error,
      details: { ...refused.body.error.details, importId: id },
    });

    const ended = await waitForImport(pipelined, id);
    expect(ended.status).toBe('rolled_back');
    expect(ended.failure).toEqual({ code: refused.body.error.code, message: refused.body.error.message });
    expect(await crmSnapshot(pipelined.pool), 'the CRM as before the upload').toEqual(before);
    const { body: detail } = await getJson(pipelined, `/api/imports/${id}`);
    expect(detail.status).toBe('rolled_back');
    const uploaded = detail.audit.filter((e: { action: string }) => e.action === 'uploaded');
    expect(uploaded, 'who uploaded it, how far it was staged and why it stopped').toEqual([
      expect.objectContaining({
        actor: expect.any(String),
        details: {
          fileBytes: Buffer.byteLength(file),
          records: expect.any(Number),
          stagingFailed: refused.body.error.code,
        },
      }),
    ]);
    expect(uploaded[0].details.records).toBeGreaterThanOrEqual(whileHeld.staged);
    expect(uploaded[0].details.records).toBeLessThan(20_000);
  }, 180_000);
});
