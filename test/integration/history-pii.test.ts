import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile, nanaCsv } from '../support/http';
import { runHistories, SENTINEL_PEOPLE, SENTINEL_VALUES } from '../support/sentinel-pii';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ workflowDefaults: { maxBatchesPerRun: 1 } });
});
afterAll(async () => stack?.close());

/** Every event of every run, payloads decoded to text, with the memo and search attributes. */
async function historyText(workflowId: string): Promise<{ text: string; runs: number }> {
  const runs = await runHistories(stack.client, workflowId);
  const text = runs
    .map(
      ({ info, history }) =>
        JSON.stringify(history, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : v)) +
        JSON.stringify(info.memo ?? {}) +
        JSON.stringify(info.searchAttributes ?? {}),
    )
    .join('');
  return { text, runs: runs.length };
}

describe('Temporal history of an import', () => {
  it('holds ids and counts only: no names, phones, emails or legacy ids from the file', async () => {
    const done = await importFile(stack, nanaCsv(SENTINEL_PEOPLE), {
      fileName: 'branch-7-export.csv',
      fields: { batchSize: '1', testBatchSize: '1' },
    });
    expect(done.status).toBe('completed');
    expect(done.counts).toMatchObject({ created: 2, rejected: 2 });
    const { text, runs } = await historyText(done.workflowId);
    expect(runs).toBeGreaterThan(1);
    // The history is really there and decoded: it names the import and its activities.
    expect(text).toContain('importBatch');
    expect(text).toContain(String(done.id));
    for (const value of SENTINEL_VALUES) expect(text, `history contains ${value}`).not.toContain(value);
  });

  it('keeps personal data out of failure messages when an import is rolled back', async () => {
    await stack.pool.query(
      `CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE check_violation USING MESSAGE = 'boom for ' || NEW.first_name; END $$`,
    );
    await stack.pool.query(
      `CREATE TRIGGER boom BEFORE INSERT ON customers FOR EACH ROW WHEN (NEW.last_name = 'Sentinelboom') EXECUTE FUNCTION boom()`,
    );
    try {
      const done = await importFile(
        stack,
        nanaCsv([
          { nana_cus_id: 'SENTINEL-NANA-9', firstname: 'Zebedee', lastname: 'Sentinelboom', phone: '0899999999' },
        ]),
      );
      expect(done.status).toBe('rolled_back');
      expect(done.failure.code).toBe('SQL_23514');
      const { text } = await historyText(done.workflowId);
      expect(text).toContain('SQL_23514');
      for (const value of ['Zebedee', 'Sentinelboom', 'SENTINEL-NANA', '0899999999']) expect(text).not.toContain(value);
    } finally {
      await stack.pool.query(`DROP TRIGGER boom ON customers; DROP FUNCTION boom()`);
    }
  });
});
