import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile, nanaCsv } from '../support/http';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ workflowDefaults: { maxBatchesPerRun: 1 } });
});
afterAll(async () => stack?.close());

// Sentinel personal data: none of it may reach Temporal.
const people = [
  { nana_cus_id: 'SENTINEL-NANA-1', firstname: 'ทดสอบ', lastname: 'ซ้ำ', email: 'sentinel.person@example.org', phone: '0899999991', date_of_birth: '1971-03-04', company_name: '"Sentinel Widgets Co., Ltd."' },
  { nana_cus_id: 'SENTINEL-NANA-2', firstname: 'Zebedee', lastname: 'Quixotic', email: 'zq@sentinel.example', phone: '+66 89 999 9992' },
  { nana_cus_id: 'SENTINEL-NANA-3', firstname: 'Rejected', lastname: 'Sentinelperson', email: 'bad@@sentinel', phone: '0899999993', gender: 'Q' },
  { nana_cus_id: 'SENTINEL-NANA-4', firstname: 'Dupe', lastname: 'Sentinelphone', phone: '089-999-9991' },
];
const forbidden = ['SENTINEL-NANA', 'ทดสอบ', 'ซ้ำ', 'sentinel.person', 'Zebedee', 'Quixotic', 'zq@sentinel', 'Sentinelperson', 'Sentinelphone', '0899999991', '899999991', '+66899999991', '999 9992', '+66899999992', '0899999993', 'Sentinel Widgets', '1971-03-04'];

/** Every event of every run, payloads decoded to text. */
async function historyText(workflowId: string): Promise<{ text: string; runs: number }> {
  let text = '';
  let runs = 0;
  for await (const wf of stack.client.workflow.list({ query: `WorkflowId = "${workflowId}"` })) {
    const history = await stack.client.workflow.getHandle(workflowId, wf.runId).fetchHistory();
    text += JSON.stringify(history, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : v));
    text += JSON.stringify(wf.memo ?? {}) + JSON.stringify(wf.searchAttributes ?? {});
    runs += 1;
  }
  return { text, runs };
}

describe('Temporal history of an import', () => {
  it('holds ids and counts only: no names, phones, emails or legacy ids from the file', async () => {
    const done = await importFile(stack, nanaCsv(people), { fileName: 'branch-7-export.csv', fields: { batchSize: '1', testBatchSize: '1' } });
    expect(done.status).toBe('completed');
    expect(done.counts).toMatchObject({ created: 2, rejected: 2 });
    const { text, runs } = await historyText(done.workflowId);
    expect(runs).toBeGreaterThan(1);
    // The history is really there and decoded: it names the import and its activities.
    expect(text).toContain('importBatch');
    expect(text).toContain(String(done.id));
    for (const value of forbidden) expect(text, `history contains ${value}`).not.toContain(value);
  });

  it('keeps personal data out of failure messages when an import is rolled back', async () => {
    await stack.pool.query(`CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE check_violation USING MESSAGE = 'boom for ' || NEW.first_name; END $$`);
    await stack.pool.query(`CREATE TRIGGER boom BEFORE INSERT ON customers FOR EACH ROW WHEN (NEW.last_name = 'Sentinelboom') EXECUTE FUNCTION boom()`);
    try {
      const done = await importFile(stack, nanaCsv([{ nana_cus_id: 'SENTINEL-NANA-9', firstname: 'Zebedee', lastname: 'Sentinelboom', phone: '0899999999' }]));
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
