import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { copyRows } from '../../src/db/copy-rows';
import { copyText, type CopyValue } from '../../src/db/copy-text';
import { insertRelations } from '../../src/db/queries/customers';
import { insertRejections } from '../../src/db/queries/ledger';
import { createTestDatabase, dropTestDatabase } from '../support/test-database';

interface Row {
  t: string | null;
  n: number | null;
  b: boolean | null;
  j: string | null;
}

// Values shaped to break a hand-made COPY line: its own syntax, NULL and end-of-data markers, Thai, emoji.
const text: fc.Arbitrary<string | null> = fc.oneof(
  fc.string({
    unit: fc.constantFrom('a', ' ', '\t', '\n', '\r', '\\', 'N', '.', ',', '"', "'", 'ก', '๒', '😀'),
    maxLength: 12,
  }),
  fc.constantFrom('\\N', '\\.', '', '\\', 'NULL'),
  fc.string({ maxLength: 20 }).map((s) => s.replace(/\0/g, '')),
  fc.constant(null),
);
const row: fc.Arbitrary<Row> = fc.record({
  t: text,
  n: fc.oneof(fc.integer(), fc.constant(Number.MAX_SAFE_INTEGER), fc.constant(null)),
  b: fc.oneof(fc.boolean(), fc.constant(null)),
  j: fc.oneof(
    fc.constant(null),
    fc.dictionary(fc.string({ maxLength: 5 }), text).map((o) => JSON.stringify(o)),
  ),
});
const columns: ((r: Row) => CopyValue)[] = [(r) => r.t, (r) => r.n, (r) => r.b, (r) => r.j];

describe('copyText', () => {
  it('writes one tab-separated line per row, escaping only what COPY reads as syntax', () => {
    const rows: Row[] = [
      { t: 'Rabbit\tCare\\Co\nLtd\r', n: 17, b: true, j: null },
      { t: '', n: null, b: false, j: '{"a":"\\"x\\""}' },
    ];
    expect(copyText(rows, columns)).toBe('Rabbit\\tCare\\\\Co\\nLtd\\r\t17\tt\t\\N\n\t\\N\tf\t{"a":"\\\\"x\\\\""}\n');
  });
});

describe('copyRows against the real server', () => {
  const name = `ferry_copy_${randomBytes(4).toString('hex')}`;
  let pool: pg.Pool;
  let client: pg.PoolClient;

  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: await createTestDatabase(name), max: 1 });
    client = await pool.connect();
    await client.query('CREATE TABLE copied (seq serial, t text, n bigint, b boolean, j jsonb)');
  });
  afterAll(async () => {
    client?.release();
    await pool?.end();
    await dropTestDatabase(name);
  });

  it('stores every value exactly as given, whatever it holds', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 25 }), async (rows) => {
        await client.query('TRUNCATE copied RESTART IDENTITY');
        await copyRows(client, 'copied (t, n, b, j)', rows, columns);
        const { rows: stored } = await client.query('SELECT t, n::float8 AS n, b, j FROM copied ORDER BY seq');
        expect(stored).toEqual(rows.map((r) => ({ ...r, j: r.j === null ? null : JSON.parse(r.j) })));
      }),
      { numRuns: 300 },
    );
  });

  it("writes a pair moved later in the same batch inactive, deactivated by the import at the transaction's time", async () => {
    const {
      rows: [imp],
    } = await client.query<{ id: number }>(
      `INSERT INTO imports (source, status, phase, file_name, file_sha256, file_bytes, encoding, header, options, created_by)
       VALUES ('nana', 'running', 'importing', 'f.csv', 'x', 1, 'utf-8', '[]', '{}', 'test') RETURNING id::int`,
    );
    const {
      rows: [customer],
    } = await client.query<{ id: number }>(
      `INSERT INTO customers (first_name, last_name, import_id) VALUES ('A', 'B', $1) RETURNING id::int`,
      [imp.id],
    );
    await client.query('BEGIN');
    const {
      rows: [tx],
    } = await client.query<{ now: Date }>('SELECT now()');
    await insertRelations(client, imp.id, 'nana', [
      { customerId: customer.id, originalId: 'N-1', rowNumber: 1, active: false },
      { customerId: customer.id, originalId: 'N-1', rowNumber: 2, active: true },
    ]);
    await client.query('COMMIT');
    const { rows } = await client.query(
      `SELECT original_id, row_number, active, deactivated_by_import_id::int AS by, deactivated_at FROM customer_relations WHERE import_id = $1 ORDER BY row_number`,
      [imp.id],
    );
    expect(rows).toEqual([
      { original_id: 'N-1', row_number: 1, active: false, by: imp.id, deactivated_at: tx.now },
      { original_id: 'N-1', row_number: 2, active: true, by: null, deactivated_at: null },
    ]);
  });

  it('fails on a row the table refuses, leaving none of the rows', async () => {
    await client.query('TRUNCATE copied');
    await client.query('BEGIN');
    await expect(
      copyRows(
        client,
        'copied (t, n, b, j)',
        [
          { t: 'ok', n: 1, b: true, j: null },
          { t: 'bad', n: 2, b: true, j: '{not json' },
        ],
        columns,
      ),
    ).rejects.toThrow(/json/i);
    await client.query('ROLLBACK');
    const { rows } = await client.query('SELECT count(*)::int AS n FROM copied');
    expect(rows[0].n).toBe(0);
  });

  it("records validation's rejections by upsert from its chunks and by append from a batch, which fails on a row already there", async () => {
    const {
      rows: [imp],
    } = await client.query<{ id: number }>(
      `INSERT INTO imports (source, status, phase, file_name, file_sha256, file_bytes, encoding, header, options, created_by)
       VALUES ('nana', 'running', 'importing', 'f.csv', 'x', 1, 'utf-8', '[]', '{}', 'test') RETURNING id::int`,
    );
    const rejected = (rowNumber: number) => ({
      rowNumber,
      lineNumber: rowNumber + 1,
      record: { phone: '12\t3' },
      errors: [{ field: 'phone', code: 'INVALID_PHONE', message: 'not a phone' }],
    });
    const ledger = async () =>
      (
        await client.query(
          `SELECT e.row_number, e.phase, e.record, o.outcome FROM import_errors e JOIN import_outcomes o USING (import_id, row_number) WHERE e.import_id = $1 ORDER BY 1`,
          [imp.id],
        )
      ).rows;
    // A validation chunk run twice writes its rows once.
    await insertRejections(client, imp.id, 'validate', [rejected(1)]);
    await insertRejections(client, imp.id, 'validate', [rejected(1)]);
    // A batch appends the rows past the checked prefix.
    await insertRejections(client, imp.id, 'validate', [rejected(2), rejected(3)], 'append');
    expect(await ledger()).toEqual(
      [1, 2, 3].map((n) => ({ row_number: n, phase: 'validate', record: { phone: '12\t3' }, outcome: 'rejected' })),
    );
    await client.query('BEGIN');
    await expect(insertRejections(client, imp.id, 'validate', [rejected(4), rejected(3)], 'append')).rejects.toThrow(
      /duplicate key/,
    );
    await client.query('ROLLBACK');
    expect((await ledger()).map((r) => r.row_number)).toEqual([1, 2, 3]);
  });
});
