import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, nanaCsv, upload, waitForImport } from '../../support/http';
import { SENTINEL_PEOPLE, SENTINEL_VALUES } from '../../support/sentinel-pii';
import { startStack, type Stack } from '../../support/stack';
import { exited, startApiProcess, startWorkerProcess, stopProcess } from './support';

// I-4 for logs: an api and a worker in their own processes at LOG_LEVEL=debug (every line info,
// warn and error would print, and more), their stdout and stderr captured, while files full of
// sentinel personal data go through every path that logs: a completed import with rejected
// records and its error report, an import the database refuses mid-batch (its PostgreSQL error
// quotes the row), an upload the database refuses while staging (a 500 whose error quotes the
// COPY line), and an upload refused for its header (the message names the cells).
const BOOM = {
  nana_cus_id: 'SENTINEL-NANA-9',
  firstname: 'Zebedee',
  lastname: 'Sentinelboom',
  phone: '0899999999',
  email: 'boom@sentinel.example',
};
const STAGE = {
  nana_cus_id: 'SENTINEL-NANA-8',
  firstname: 'Quixotic',
  lastname: 'Sentinelstage',
  phone: '0899999998',
  email: 'stage@sentinel.example',
};
const SENTINELS = [
  ...SENTINEL_VALUES,
  'Sentinelboom',
  '0899999999',
  '899999999',
  'boom@sentinel',
  'Sentinelstage',
  '0899999998',
  '899999998',
  'stage@sentinel',
];

let stack: Stack;
let api: { child: ChildProcess; asStack: Stack };
let worker: ChildProcess;
const lines: { from: string; line: string }[] = [];

beforeAll(async () => {
  stack = await startStack({ worker: false });
  const collect = (from: string) => (line: string) => void lines.push({ from, line });
  worker = startWorkerProcess(stack, 'ferry-log-worker', undefined, { logLevel: 'debug', onLine: collect('worker') });
  api = await startApiProcess(stack, { logLevel: 'debug', onLine: collect('api') });
});
afterAll(async () => {
  await stopProcess(api?.child);
  await stopProcess(worker);
  await stack?.close();
});

describe('I-4: logs free of personal data', () => {
  it('no sentinel value appears in any line the api or the worker writes, at debug level, on success, rejection and failure paths', async () => {
    // A completed import with created and rejected records, one record per batch; then its error report.
    const done = await waitForImport(
      api.asStack,
      (
        await upload(api.asStack, nanaCsv(SENTINEL_PEOPLE), {
          fileName: 'branch-7.csv',
          fields: { batchSize: '1', testBatchSize: '1' },
        })
      ).body.id,
    );
    expect(done.status).toBe('completed');
    expect(done.counts).toMatchObject({ created: 2, rejected: 2 });
    const report = await fetch(`${api.asStack.baseUrl}/api/imports/${done.id}/errors.csv`, {
      headers: { authorization: `Bearer ${api.asStack.adminToken}` },
    });
    expect(await report.text(), 'the report itself does carry the records').toContain('Sentinelperson');
    expect((await getJson(api.asStack, `/api/imports/${done.id}/errors`)).status).toBe(200);

    // The database refuses a record mid-batch with an error quoting it: the import fails and rolls back.
    await stack.pool.query(`CREATE FUNCTION refuse_sentinel() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
      RAISE check_violation USING MESSAGE = 'refused ' || NEW.first_name || ' ' || NEW.last_name, DETAIL = row_to_json(NEW)::text; END $$`);
    await stack.pool.query(
      `CREATE TRIGGER refuse_sentinel BEFORE INSERT ON customers FOR EACH ROW WHEN (NEW.last_name = 'Sentinelboom') EXECUTE FUNCTION refuse_sentinel()`,
    );
    const failing = await upload(api.asStack, nanaCsv([BOOM]), { fileName: 'boom.csv' });
    expect(failing.status).toBe(202);
    const failed = await waitForImport(api.asStack, failing.body.id);
    expect(failed.status).toBe('rolled_back');
    expect(failed.failure.code).toBe('SQL_23514');

    // The database refuses the staged rows: a 500 from the api, whose PostgreSQL error holds the COPY line and the failing row.
    await stack.pool.query(
      `ALTER TABLE import_rows ADD CONSTRAINT refuse_sentinel CHECK (record->>'lastname' IS DISTINCT FROM 'Sentinelstage') NOT VALID`,
    );
    const staging = await upload(api.asStack, nanaCsv([STAGE]), { fileName: 'stage.csv' });
    expect(staging.status).toBe(500);
    expect(JSON.stringify(staging.body)).not.toContain('Sentinelstage');

    // A file whose first line is a record, not a header: the 422 names the cells to the uploader only.
    const headerless = `${nanaCsv([STAGE]).split('\n')[1]}\n${nanaCsv([STAGE]).split('\n')[1]}\n`;
    const refused = await upload(api.asStack, headerless, { fileName: 'no-header.csv' });
    expect(refused.status).toBe(422);
    expect(refused.body.error.message, 'the uploader is told which cells').toMatch(/sentinelstage/i);

    // Everything is written: stop both processes and read all they said.
    await stopProcess(api.child, 'SIGTERM');
    await stopProcess(worker, 'SIGTERM');
    await Promise.all([exited(api.child, 40_000), exited(worker, 40_000)]);
    const byProcess = (from: string) => lines.filter((l) => l.from === from);
    expect(
      byProcess('api').some((l) => l.line.includes('/api/imports')),
      'the api logged its requests',
    ).toBe(true);
    expect(
      byProcess('api').some((l) => /request failed/.test(l.line) && /23514/.test(l.line)),
      'the api logged the 500 with its SQLSTATE',
    ).toBe(true);
    expect(byProcess('worker').length, 'the worker logged at debug').toBeGreaterThan(20);
    const leaks = lines.flatMap(({ from, line }) =>
      SENTINELS.filter((v) => line.toLowerCase().includes(v.toLowerCase())).map(
        (v) => `${from}: ${v} in ${line.slice(0, 400)}`,
      ),
    );
    expect(leaks).toEqual([]);
    console.log(
      `I-4 logs: ${byProcess('api').length} api and ${byProcess('worker').length} worker lines at debug, no sentinel in any`,
    );
  });
});
