import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nanaFile, NANA_COLUMNS } from '../../support/generate-nana';
import { upload, waitForImport } from '../../support/http';
import { startStack, type Stack } from '../../support/stack';
import { expectInvariants } from './support';

// F8: a poison file must not crash-loop a worker nor hold up other imports.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.close());

const importCount = async () => (await stack.pool.query(`SELECT count(*)::int AS n FROM imports`)).rows[0].n;

describe('F8: a 10,000-column CSV', () => {
  it('is refused at upload with a clear code, nothing staged, while another import completes', async () => {
    const wide = Array.from({ length: 10_000 - NANA_COLUMNS.length }, (_, i) => `extra_${i + 1}`);
    const header = [...NANA_COLUMNS, ...wide].join(',');
    const row = ['', 'NB1', 'F', 'Somsri', 'Jaidee', '', '', '0812345678', '', '', ...wide.map(() => 'x')].join(',');
    const poison = `${header}\n${Array.from({ length: 50 }, () => row).join('\n')}\n`;
    const before = await importCount();

    const normal = upload(stack, nanaFile({ records: 2_000, seed: 8 }), { fields: { batchSize: '500' } });
    const t0 = Date.now();
    const refused = await upload(stack, poison, { fileName: 'wide.csv' });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    expect(refused.body.error.code).toMatch(/^[A-Z_]+$/);
    expect(JSON.stringify(refused.body).length, 'the refusal stays small').toBeLessThan(200_000);
    expect(Date.now() - t0, 'refused quickly').toBeLessThan(10_000);

    const ok = await normal;
    expect(ok.status).toBe(202);
    const done = await waitForImport(stack, ok.body.id);
    expect(done.status).toBe('completed');
    await expectInvariants(stack.pool, done.id);
    expect(await importCount()).toBe(before + 1);
    console.log(`F8 header refusal: ${refused.status} ${refused.body.error.code}`);
  });

  it('rows of 10,000 fields under a valid header: refused, or each row rejected once; no crash loop, other imports flow', async () => {
    const wideRow = [
      '',
      'NB1',
      'F',
      'Somsri',
      'Jaidee',
      '',
      '',
      '0812345678',
      '',
      '',
      ...Array.from({ length: 10_000 - NANA_COLUMNS.length }, () => 'x'),
    ].join(',');
    const poison = `${NANA_COLUMNS.join(',')}\n${Array.from({ length: 100 }, () => wideRow).join('\n')}\n`;
    const [bad, good] = await Promise.all([
      upload(stack, poison, { fileName: 'ragged.csv' }),
      upload(stack, nanaFile({ records: 2_000, seed: 9 }), { fields: { batchSize: '500' } }),
    ]);
    expect(good.status).toBe(202);
    if (bad.status === 202) {
      const poisoned = await waitForImport(stack, bad.body.id, undefined, 60_000);
      expect(['completed', 'rolled_back', 'failed']).toContain(poisoned.status);
      if (poisoned.status === 'completed') {
        expect(poisoned.counts).toMatchObject({ total: 100, rejected: 100, created: 0 });
        await expectInvariants(stack.pool, poisoned.id);
      }
      // No crash loop: no activity of the import ran more than once.
      const history = await stack.client.workflow.getHandle(bad.body.workflowId).fetchHistory();
      const retried = history.events!.filter((e) => (e.activityTaskStartedEventAttributes?.attempt ?? 1) > 1);
      expect(retried).toEqual([]);
      console.log(`F8 ragged rows: accepted, ended ${poisoned.status} ${JSON.stringify(poisoned.counts)}`);
    } else {
      expect(bad.status).toBeGreaterThanOrEqual(400);
      expect(bad.status).toBeLessThan(500);
      expect(bad.body.error.code).toMatch(/^[A-Z_]+$/);
      console.log(`F8 ragged rows: refused ${bad.status} ${bad.body.error.code}`);
    }
    const done = await waitForImport(stack, good.body.id);
    expect(done.status).toBe('completed');
    await expectInvariants(stack.pool, done.id);
  });
});
