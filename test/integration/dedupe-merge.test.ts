import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertScan } from '../../src/db/queries/dedupe';
import { projectPath } from '../../src/project-root';
import { getJson, importFile, nanaCsv } from '../support/http';
import { dumpTables as dumpAll, postJson as postVia } from '../support/merges';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
const ids = new Map<string, number>();
beforeAll(async () => {
  stack = await startStack();
  await plantCustomers();
}, 60_000);
afterAll(async () => stack?.close());

interface Planted {
  label: string;
  first: string;
  last: string;
  dob?: string;
  gender?: string;
  phones?: string[];
  emails?: string[];
  idHash?: string;
}

/*
 * Planted duplicates (labels ending .1, .2, .3 are one person) and look-alikes (lone labels) that a
 * careful reviewer would keep apart.
 */
const PLANTED: Planted[] = [
  // One phone written two ways in the files: the same E.164 once imported.
  { label: 'phone.1', first: 'Somsak', last: 'Wongsawat', dob: '1980-01-02', phones: ['+66812345601'] },
  { label: 'phone.2', first: 'SOMSAK', last: 'Wongsawat', phones: ['+66812345601', '+6621234567'] },
  // First and last names swapped, one e-mail.
  { label: 'swapped.1', first: 'Malee', last: 'Srisuk', emails: ['malee.s@example.com'] },
  { label: 'swapped.2', first: 'Srisuk', last: 'Malee', emails: ['malee.s@example.com'], gender: 'F' },
  // Thai spelling variants and a title written against the name.
  { label: 'thai.1', first: 'นายสมศักดิ์', last: 'ใจดี', phones: ['+66890000003'] },
  { label: 'thai.2', first: 'สมศักด์', last: 'ใจดี', phones: ['+66890000003'], dob: '1975-03-04' },
  // One e-mail, two phones.
  { label: 'email.1', first: 'Anong', last: 'Rattanakorn', phones: ['+66810000011'], emails: ['anong@example.com'] },
  { label: 'email.2', first: 'Anong', last: 'Rattanakorn', phones: ['+66810000012'], emails: ['anong@example.com'] },
  // force_create=Y: the same record created twice on purpose.
  { label: 'forced.1', first: 'Prasert', last: 'Boonmee', dob: '1990-07-08', phones: ['+66820000021'] },
  { label: 'forced.2', first: 'Prasert', last: 'Boonmee', dob: '1990-07-08', phones: ['+66820000021'] },
  // A chain of three: a phone links the first two, an e-mail the last two.
  { label: 'chain.1', first: 'Kittipong', last: 'Chaiyaporn', phones: ['+66830000031'] },
  { label: 'chain.2', first: 'Kittipong', last: 'Chaiyaporn', phones: ['+66830000031'], emails: ['kit@example.com'] },
  { label: 'chain.3', first: 'Kitipong', last: 'Chaiyaporn', emails: ['kit@example.com'], dob: '1982-11-12' },
  // A name changed by marriage, one national id.
  { label: 'nid.1', first: 'Wanida', last: 'Sukjai', idHash: 'a'.repeat(64) },
  { label: 'nid.2', first: 'Wanida', last: 'Thongdee', idHash: 'a'.repeat(64) },
  // Look-alikes: a common name and a shared birth date, nothing else.
  {
    label: 'common-a',
    first: 'Somchai',
    last: 'Saetang',
    dob: '1985-05-05',
    phones: ['+66840000041'],
    emails: ['sa@example.com'],
  },
  {
    label: 'common-b',
    first: 'Somchai',
    last: 'Saetang',
    dob: '1985-05-05',
    phones: ['+66840000042'],
    emails: ['sb@example.com'],
  },
  { label: 'common-c', first: 'Somchai', last: 'Saetang', phones: ['+66840000043'] },
  { label: 'common-d', first: 'Somchai', last: 'Jaidee', dob: '1985-05-05', phones: ['+66840000044'] },
  { label: 'common-e', first: 'Somchai', last: 'Meesuk', phones: ['+66840000045'] },
  // A couple sharing the home phone and e-mail.
  { label: 'couple-a', first: 'Niran', last: 'Kaewmanee', phones: ['+66850000051'], emails: ['home@example.com'] },
  { label: 'couple-b', first: 'Sunee', last: 'Kaewmanee', phones: ['+66850000051'], emails: ['home@example.com'] },
  // Similar names, one birth date, different phones.
  { label: 'alike-a', first: 'John', last: 'Smith', dob: '1970-01-01', phones: ['+66860000061'] },
  { label: 'alike-b', first: 'Jane', last: 'Smith', dob: '1970-01-01', phones: ['+66860000062'] },
];

async function plantCustomers(): Promise<void> {
  for (const p of PLANTED) {
    const {
      rows: [c],
    } = await stack.pool.query(
      `INSERT INTO customers (first_name, last_name, date_of_birth, gender) VALUES ($1, $2, $3, $4) RETURNING id::int`,
      [p.first, p.last, p.dob ?? null, p.gender ?? null],
    );
    ids.set(p.label, c.id);
    for (const phone of p.phones ?? [])
      await stack.pool.query(`INSERT INTO customer_phones (customer_id, phone) VALUES ($1, $2)`, [c.id, phone]);
    for (const email of p.emails ?? [])
      await stack.pool.query(`INSERT INTO customer_emails (customer_id, email) VALUES ($1, $2)`, [c.id, email]);
    if (p.idHash)
      await stack.pool.query(
        `INSERT INTO customer_identities (customer_id, kind, id_hash) VALUES ($1, 'th_national_id', $2)`,
        [c.id, p.idHash],
      );
    await stack.pool.query(
      `INSERT INTO customer_relations (customer_id, source, original_id) VALUES ($1, 'nana', $2)`,
      [c.id, `N-${p.label}`],
    );
  }
  const chain2 = ids.get('chain.2')!;
  await stack.pool.query(`INSERT INTO customer_companies (customer_id, name, position) VALUES ($1, 'Chai Co', 1)`, [
    chain2,
  ]);
  await stack.pool.query(
    `INSERT INTO points_transactions (customer_id, member_id, type, points, delta, occurred_on) VALUES ($1, 'M1', 'credit', 10.50, 10.50, '2024-01-01')`,
    [chain2],
  );
  await stack.pool.query(
    `INSERT INTO purchases (customer_id, member_id, transaction_date, amount) VALUES ($1, 'M1', '2024-01-02', 99.90)`,
    [ids.get('chain.3')],
  );
}

const EXPECTED_GROUPS = [
  ['phone.1', 'phone.2'],
  ['swapped.1', 'swapped.2'],
  ['thai.1', 'thai.2'],
  ['email.1', 'email.2'],
  ['forced.1', 'forced.2'],
  ['chain.1', 'chain.2', 'chain.3'],
  ['nid.1', 'nid.2'],
];

const postJson = (path: string, body: unknown, token = stack.adminToken) => postVia(stack, path, body, token);
const dumpTables = () => dumpAll(stack);

let scanGroups: { id: number; score: number; reasons: any[]; customers: any[] }[] = [];

describe('duplicate scan', () => {
  it('finds every planted duplicate and no look-alike, with reasons', async () => {
    const started = await postJson('/api/dedupe', {});
    expect(started.status).toBe(202);
    expect(started.body.workflowId).toBe(`dedupe-${started.body.id}`);
    await stack.client.workflow.getHandle(started.body.workflowId).result();
    const scan = await getJson(stack, `/api/dedupe/${started.body.id}`);
    expect(scan.body).toMatchObject({
      status: 'completed',
      counts: { customers: PLANTED.length, groups: EXPECTED_GROUPS.length },
    });

    const page = await getJson(stack, `/api/dedupe/${started.body.id}/groups?pageSize=100`);
    scanGroups = page.body.items;
    const label = new Map([...ids].map(([l, id]) => [id, l]));
    const found = scanGroups.map((g) =>
      g.customers
        .map((c: any) => label.get(c.id)!)
        .sort()
        .join(' '),
    );
    const expected = EXPECTED_GROUPS.map((g) => [...g].sort().join(' '));
    const truePositives = found.filter((g) => expected.includes(g)).length;
    expect({ precision: truePositives / found.length, recall: truePositives / expected.length }).toEqual({
      precision: 1,
      recall: 1,
    });
    expect(page.body.total).toBe(EXPECTED_GROUPS.length);
    const chain = scanGroups.find((g) => g.customers.length === 3)!;
    expect(chain.reasons.map((r: any) => r.field)).toEqual(expect.arrayContaining(['phone', 'email', 'name']));
    expect(chain.customers[1]).toMatchObject({
      firstName: 'Kittipong',
      phones: ['+66830000031'],
      emails: ['kit@example.com'],
      sources: ['nana'],
    });
  });

  it('finds the same groups when it continues as new every two ranges of four customers', async () => {
    const scan = await insertScan(stack.pool, {}, 'test');
    const handle = await stack.client.workflow.start('dedupeWorkflow', {
      workflowId: `dedupe-small-${scan.id}`,
      taskQueue: stack.taskQueue,
      args: [{ scanId: scan.id, rangeSize: 4, maxRangesPerRun: 2 }],
    });
    await handle.result();
    const { runId } = await handle.describe();
    expect(runId).not.toBe(handle.firstExecutionRunId);
    const groups = (await getJson(stack, `/api/dedupe/${scan.id}/groups?pageSize=100`)).body.items.map((g: any) =>
      g.customers.map((c: any) => c.id),
    );
    expect(groups).toEqual(scanGroups.map((g) => g.customers.map((c: any) => c.id)));
    expect((await getJson(stack, `/api/dedupe/${scan.id}`)).body.counts.customers).toBe(PLANTED.length);
  });

  it('marks a cancelled scan failed and leaves no working rows', async () => {
    const scan = await insertScan(stack.pool, {}, 'test');
    const handle = await stack.client.workflow.start('dedupeWorkflow', {
      workflowId: `dedupe-cancel-${scan.id}`,
      taskQueue: stack.taskQueue,
      args: [{ scanId: scan.id, rangeSize: 1 }],
    });
    await handle.cancel();
    await expect(handle.result()).rejects.toThrow();
    expect((await getJson(stack, `/api/dedupe/${scan.id}`)).body).toMatchObject({
      status: 'failed',
      failure: { code: 'CANCELLED' },
    });
    for (const table of ['dedupe_people', 'dedupe_keys', 'dedupe_tokens', 'dedupe_blocks', 'dedupe_pairs']) {
      expect(
        (await stack.pool.query(`SELECT count(*)::int AS n FROM ${table} WHERE scan_id = $1`, [scan.id])).rows[0].n,
      ).toBe(0);
    }
  });

  it('refuses a scan to a viewer', async () => {
    expect((await postJson('/api/dedupe', {}, stack.viewerToken)).status).toBe(403);
  });
});

describe('merge and undo', () => {
  it('moves every row to the survivor, fills its blanks, and an undo restores the tables byte for byte', async () => {
    const chain = scanGroups.find((g) => g.customers.length === 3)!;
    const [survivor, ...merged] = chain.customers.map((c: any) => c.id as number);
    const before = await dumpTables();

    const res = await postJson('/api/merges', { groupId: chain.id, rule: 'fill_blanks' });
    expect(res.status).toBe(202);
    expect(res.body.workflowId).toBe(`merge-${res.body.id}`);
    await stack.client.workflow.getHandle(res.body.workflowId).result();
    const merge = (await getJson(stack, `/api/merges/${res.body.id}`)).body;
    expect(merge).toMatchObject({ status: 'completed', survivorId: survivor, mergedIds: merged });

    const owners = async (table: string) =>
      (
        await stack.pool.query(`SELECT DISTINCT customer_id::int AS id FROM ${table} WHERE customer_id = ANY($1)`, [
          [survivor, ...merged],
        ])
      ).rows.map((r) => r.id);
    for (const table of [
      'customer_phones',
      'customer_emails',
      'customer_companies',
      'customer_relations',
      'points_transactions',
      'purchases',
    ])
      expect(await owners(table)).toEqual([survivor]);
    // The survivor keeps one copy of the phone and e-mail it shared.
    expect(
      (await stack.pool.query(`SELECT phone FROM customer_phones WHERE customer_id = $1`, [survivor])).rows,
    ).toEqual([{ phone: '+66830000031' }]);
    const {
      rows: [s],
    } = await stack.pool.query(`SELECT date_of_birth::text AS dob, merged_into FROM customers WHERE id = $1`, [
      survivor,
    ]);
    expect(s).toEqual({ dob: '1982-11-12', merged_into: null });
    const { rows: mergedRows } = await stack.pool.query(
      `SELECT merged_into::int AS m FROM customers WHERE id = ANY($1)`,
      [merged],
    );
    expect(mergedRows).toEqual(merged.map(() => ({ m: survivor })));
    expect((await getJson(stack, '/api/merges')).body).toMatchObject({ total: 1, items: [{ id: res.body.id }] });

    const preview = (await getJson(stack, `/api/merges/${res.body.id}/undo-preview`)).body;
    expect(preview).toMatchObject({ keepsLaterWork: false, laterMerges: [] });
    const undo = await postJson(`/api/merges/${res.body.id}/undo`, {});
    expect(undo.status).toBe(202);
    expect(undo.body.workflowId).toBe(`unmerge-${res.body.id}`);
    await stack.client.workflow.getHandle(undo.body.workflowId).result();
    expect(await dumpTables()).toEqual(before);
    expect((await getJson(stack, `/api/merges/${res.body.id}`)).body.status).toBe('undone');
    expect((await postJson(`/api/merges/${res.body.id}/undo`, {})).status).toBe(409);
  });

  it('lands a later import that names a merged legacy id on the survivor, and an undo keeps that work', async () => {
    const [survivor, merged] = [ids.get('forced.1')!, ids.get('forced.2')!];
    const res = await postJson('/api/merges', { survivorId: survivor, mergedIds: [merged] });
    await stack.client.workflow.getHandle(res.body.workflowId).result();
    expect((await getJson(stack, `/api/merges/${res.body.id}`)).body.status).toBe('completed');

    const done = await importFile(
      stack,
      nanaCsv([{ nana_cus_id: 'N-forced.2', firstname: 'Prasert', lastname: 'Boonmee', phone: '0820000099' }]),
    );
    expect(done.status).toBe('completed');
    const { rows: outcomes } = await stack.pool.query(
      `SELECT customer_id::int AS c FROM import_outcomes WHERE import_id = $1 AND phase = 'import'`,
      [done.id],
    );
    expect(outcomes).toEqual([{ c: survivor }]);

    const undo = await postJson(`/api/merges/${res.body.id}/undo`, {});
    await stack.client.workflow.getHandle(undo.body.workflowId).result();
    const {
      rows: [relation],
    } = await stack.pool.query(
      `SELECT customer_id::int AS c FROM customer_relations WHERE original_id = 'N-forced.2' AND active`,
    );
    expect(relation.c).toBe(merged);
    const { rows: sync } = await stack.pool.query(
      `SELECT customer_id::int AS c FROM sync_history WHERE import_id = $1`,
      [done.id],
    );
    expect(sync).toEqual([{ c: survivor }]);
  });

  it('refuses to merge a customer merged already', async () => {
    const [a, b, c] = [ids.get('email.1')!, ids.get('email.2')!, ids.get('phone.1')!];
    const first = await postJson('/api/merges', { survivorId: a, mergedIds: [b] });
    await stack.client.workflow.getHandle(first.body.workflowId).result();
    const again = await postJson('/api/merges', { survivorId: c, mergedIds: [b] });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('CUSTOMER_ALREADY_MERGED');
  });
});

describe('ferry dedupe, groups, merge, unmerge', () => {
  const ferry = async (...args: string[]) => {
    const env = { ...process.env, FERRY_URL: stack.baseUrl, FERRY_TOKEN: stack.adminToken };
    const { stdout } = await promisify(execFile)(process.execPath, [projectPath('bin/ferry.js'), ...args, '--json'], {
      env,
      cwd: path.dirname(projectPath('bin/ferry.js')),
    });
    return JSON.parse(stdout);
  };

  it('scans, lists the groups, merges one and undoes it from the command line', async () => {
    const scan = await ferry('dedupe', '--wait', '--interval', '0.2');
    expect(scan).toMatchObject({ status: 'completed', counts: { groups: expect.any(Number) } });
    const groups = await ferry('groups', String(scan.id));
    const swapped = groups.items.find((g: any) => g.customers.some((c: any) => c.id === ids.get('swapped.1')));
    expect(swapped.customers.map((c: any) => c.id)).toEqual([ids.get('swapped.1'), ids.get('swapped.2')]);
    const merge = await ferry('merge', String(swapped.id));
    expect(merge.workflowId).toBe(`merge-${merge.id}`);
    await stack.client.workflow.getHandle(merge.workflowId).result();
    const undo = await ferry('unmerge', String(merge.id));
    expect(undo.workflowId).toBe(`unmerge-${merge.id}`);
    await stack.client.workflow.getHandle(undo.workflowId).result();
    expect((await getJson(stack, `/api/merges/${merge.id}`)).body.status).toBe('undone');
  });
});
