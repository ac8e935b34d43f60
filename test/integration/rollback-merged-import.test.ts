import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, importFile, nanaCsv, post, waitForImport } from '../support/http';
import { dumpTables, mergeCustomersVia, postJson, undoMergeVia, plantCustomer } from '../support/merges';
import { q } from '../support/sources';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let elder: number;
let other: number;
beforeAll(async () => {
  stack = await startStack();
  elder = await plantCustomer(stack, 'Kanya', 'Sukprasert', '+66811240001', 'N-ELDER');
  other = await plantCustomer(stack, 'Pim', 'Rakthai', '+66811240002', 'N-OTHER');
}, 60_000);
afterAll(async () => stack?.close());

/** An import creating two customers: one a duplicate of `elder` (same phone, forced), one of `other`'s circle. */
async function importTwo(tag: string): Promise<{ importId: number; twin: number; fresh: number }> {
  const done = await importFile(
    stack,
    nanaCsv([
      {
        nana_cus_id: `N-${tag}-1`,
        firstname: 'Kanya',
        lastname: 'Sukprasert',
        phone: '0811240001',
        email: `${tag}@example.com`,
        force_create: 'Y',
      },
      { nana_cus_id: `N-${tag}-2`, firstname: 'Pim', lastname: 'Rakthai', phone: '0811240099' },
    ]),
  );
  expect(done.status).toBe('completed');
  const rows = await q(
    stack,
    `SELECT customer_id::int AS c FROM import_outcomes WHERE import_id = $1 AND phase = 'import' ORDER BY row_number`,
    [done.id],
  );
  return { importId: done.id, twin: rows[0].c, fresh: rows[1].c };
}

async function rollBack(importId: number): Promise<void> {
  const res = await post(stack, `/api/imports/${importId}/rollback`);
  expect(res.status).toBe(202);
  await stack.client.workflow.getHandle(res.body.workflowId).result();
  expect((await waitForImport(stack, importId)).status).toBe('rolled_back');
}

describe('rolling back an import whose customers were merged since', () => {
  it('rollback first: undoes the merges (survivor or merged) first, and the CRM is as before the import', async () => {
    const before = await dumpTables(stack);
    const { importId, twin, fresh } = await importTwo('rb');
    // The import's customer merged into an older one, and an older one merged into the import's customer.
    const intoElder = await mergeCustomersVia(stack, elder, [twin]);
    const intoFresh = await mergeCustomersVia(stack, fresh, [other]);

    const preview = await getJson(stack, `/api/imports/${importId}/rollback-preview`);
    expect(preview.body.merges).toEqual([
      { mergeId: intoFresh, keepsLaterWork: false },
      { mergeId: intoElder, keepsLaterWork: false },
    ]);

    await rollBack(importId);
    expect(await dumpTables(stack)).toEqual(before);
    for (const id of [intoElder, intoFresh])
      expect((await getJson(stack, `/api/merges/${id}`)).body.status).toBe('undone');
    // The undo comes after the rollback: the merge is undone already, and nothing moves.
    const undo = await postJson(stack, `/api/merges/${intoElder}/undo`, {});
    expect(undo.status).toBe(409);
    expect(undo.body.error.code).toBe('MERGE_NOT_UNDOABLE');
    expect(await dumpTables(stack)).toEqual(before);
    expect((await getJson(stack, `/api/imports/${importId}`)).body.rollback.result.merges).toHaveLength(2);
  });

  it('undo first: the rollback then finds no merge and the CRM is as before the import', async () => {
    const before = await dumpTables(stack);
    const { importId, twin, fresh } = await importTwo('ur');
    const intoElder = await mergeCustomersVia(stack, elder, [twin]);
    const intoFresh = await mergeCustomersVia(stack, fresh, [other]);
    await undoMergeVia(stack, intoFresh);
    await undoMergeVia(stack, intoElder);

    expect((await getJson(stack, `/api/imports/${importId}/rollback-preview`)).body.merges).toBeUndefined();
    await rollBack(importId);
    expect(await dumpTables(stack)).toEqual(before);
  });
});
