import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile, nanaCsv } from '../support/http';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.close());

async function scrape(): Promise<string> {
  // No token: Prometheus scrapes without one.
  const res = await fetch(`${stack.baseUrl}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  return res.text();
}

/** The value of one sample, `name{labels}`, 0 when absent. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe('metrics', () => {
  it('counts imports, records and upload sizes on the api after an import completes', async () => {
    const before = await scrape();
    expect(before).toContain('# TYPE ferry_imports gauge');
    expect(before).toContain('# TYPE ferry_upload_size_bytes histogram');

    const done = await importFile(
      stack,
      nanaCsv([
        { nana_cus_id: 'OB-1', firstname: 'Metric', lastname: 'One', phone: '0810000301' },
        { nana_cus_id: 'OB-2', firstname: 'Metric', lastname: 'Two', phone: '0810000302' },
        { nana_cus_id: 'OB-3', firstname: 'Bad', lastname: 'Phone', phone: '12' },
      ]),
    );
    expect(done.status).toBe('completed');

    const after = await scrape();
    expect(sample(after, 'ferry_imports{status="completed",source="nana"}')).toBe(
      sample(before, 'ferry_imports{status="completed",source="nana"}') + 1,
    );
    expect(sample(after, 'ferry_records_processed{outcome="created",source="nana"}')).toBe(
      sample(before, 'ferry_records_processed{outcome="created",source="nana"}') + 2,
    );
    expect(sample(after, 'ferry_records_processed{outcome="rejected",source="nana"}')).toBe(
      sample(before, 'ferry_records_processed{outcome="rejected",source="nana"}') + 1,
    );
    expect(sample(after, 'ferry_upload_size_bytes_count{source="nana"}')).toBe(
      sample(before, 'ferry_upload_size_bytes_count{source="nana"}') + 1,
    );
    const {
      rows: [imp],
    } = await stack.pool.query(`SELECT file_bytes::int AS bytes FROM imports WHERE id = $1`, [done.id]);
    expect(sample(after, 'ferry_upload_size_bytes_sum{source="nana"}')).toBe(
      sample(before, 'ferry_upload_size_bytes_sum{source="nana"}') + imp.bytes,
    );
    for (const personal of ['Metric', '0810000301', 'OB-1']) expect(after).not.toContain(personal);
  });

  it('times batches and counts rollbacks on the worker', async () => {
    const metricsText = () => stack.workerMetrics.registry.metrics();
    const before = await metricsText();
    const done = await importFile(
      stack,
      nanaCsv([
        { nana_cus_id: 'OB-4', firstname: 'Batch', lastname: 'Timed', phone: '0810000304' },
        { nana_cus_id: 'OB-5', firstname: 'Batch', lastname: 'Timed', phone: '0810000305' },
      ]),
      { fields: { testBatchSize: '1', batchSize: '1' } },
    );
    expect(done.status).toBe('completed');
    const after = await metricsText();
    expect(sample(after, 'ferry_batch_duration_seconds_count{result="ok"}')).toBe(
      sample(before, 'ferry_batch_duration_seconds_count{result="ok"}') + 2,
    );

    const rollback = await fetch(`${stack.baseUrl}/api/imports/${done.id}/rollback`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.adminToken}` },
    });
    expect(rollback.status).toBe(202);
    await stack.client.workflow.getHandle((await rollback.json()).workflowId).result();
    expect(sample(await metricsText(), 'ferry_rollbacks_total{result="ok"}')).toBe(
      sample(after, 'ferry_rollbacks_total{result="ok"}') + 1,
    );
  });
});
