import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from '../support/axe';
import { launchChromium, screenshotsDir, signInTab } from '../support/browser';
import { startStack, type Stack } from '../support/stack';

let SCREENSHOTS: string;
let stack: Stack;
let browser: Browser;
let page: Page;
/** The swapped-name pair the first test merges by hand. */
const customers: number[] = [];
/** Three more pairs, one group each, for the batch. */
const pairs: [number, number][] = [];

async function plant(first: string, last: string, dob: string | null, phone: string): Promise<number> {
  const {
    rows: [c],
  } = await stack.pool.query(
    `INSERT INTO customers (first_name, last_name, date_of_birth) VALUES ($1, $2, $3) RETURNING id::int`,
    [first, last, dob],
  );
  await stack.pool.query(`INSERT INTO customer_phones (customer_id, phone) VALUES ($1, $2)`, [c.id, phone]);
  return c.id;
}

beforeAll(async () => {
  SCREENSHOTS = screenshotsDir();
  stack = await startStack();
  customers.push(await plant('Prasert', 'Boonmee', null, '+66820000021'));
  customers.push(await plant('Boonmee', 'Prasert', '1990-07-08', '+66820000021'));
  for (const [first, last, phone] of [
    ['Somsak', 'Wongsawat', '+66820000031'],
    ['Niran', 'Chaiyaporn', '+66820000032'],
    ['Kannika', 'Srisuk', '+66820000033'],
  ])
    pairs.push([await plant(first!, last!, null, phone!), await plant(first!, last!, '1985-02-03', phone!)]);
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 860 }, bypassCSP: true })).newPage();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

const confirm = () => page.locator('dialog.confirm-dialog button[value="confirm"]').click();
const groupOf = (customerId: number) =>
  page.locator('section.dedupe-group', { has: page.getByLabel(`Keep customer ${customerId}`) });
const groupIdOf = async (customerId: number) => Number(await groupOf(customerId).getAttribute('data-group-id'));

async function statusOf(row: Locator): Promise<string | null> {
  return row
    .locator('.merge-status')
    .textContent()
    .catch(() => null);
}

async function mergedInto(ids: number[]): Promise<(number | null)[]> {
  const { rows } = await stack.pool.query(
    `SELECT merged_into::int AS m FROM customers WHERE id = ANY($1::bigint[]) ORDER BY id`,
    [ids],
  );
  return rows.map((r) => r.m);
}

describe('the Duplicates screen', () => {
  it('merges a group into the chosen survivor with a field chosen against the rule, and undoes it', async () => {
    await signInTab(page, stack.baseUrl, stack.adminToken);
    await page.click('#duplicates-link');
    await page.getByRole('heading', { name: 'Duplicate customers' }).waitFor();

    await page.click('#dedupe-start');
    await page.locator('section.dedupe-group').first().waitFor({ timeout: 30_000 });
    await expect.poll(() => page.locator('section.dedupe-group').count()).toBe(4);
    const group = groupOf(customers[0]!);
    const groupId = await groupIdOf(customers[0]!);
    expect(await group.locator('.reasons').textContent()).toContain('phone: exact');
    expect(await group.locator('tbody tr').count()).toBe(2);

    await group.getByLabel(`Keep customer ${customers[1]}`).check();
    // Fill the blanks keeps the survivor's own first name; the admin takes the other's instead.
    const firstName = group.getByLabel('First name');
    expect(await firstName.locator('option').first().textContent()).toBe(
      `By the rule: Boonmee (customer ${customers[1]})`,
    );
    expect(await group.getByLabel('Birth date').locator('option').first().textContent()).toBe(
      `By the rule: 1990-07-08 (customer ${customers[1]})`,
    );
    await firstName.selectOption(String(customers[0]));
    expect(await group.getByLabel('Rule').inputValue()).toBe('fill_blanks');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'duplicates.png'), fullPage: true });

    await group.locator('button.merge-group').click();
    expect(await page.locator('dialog.confirm-dialog .survivor-outcome').textContent()).toContain(
      `First name: Prasert (customer ${customers[0]}, chosen)`,
    );
    await confirm();
    const history = page.locator(`table.merge-history tr[data-group-id="${groupId}"]`).first();
    await expect.poll(() => statusOf(history), { timeout: 30_000 }).toBe('completed');
    expect(await mergedInto(customers)).toEqual([customers[1], null]);
    const { rows } = await stack.pool.query(
      `SELECT first_name, date_of_birth::text AS dob FROM customers WHERE id = $1`,
      [customers[1]],
    );
    expect(rows).toEqual([{ first_name: 'Prasert', dob: '1990-07-08' }]);
    const mergeId = Number(await history.getAttribute('data-merge-id'));
    const merge = await (
      await fetch(`${stack.baseUrl}/api/merges/${mergeId}`, {
        headers: { authorization: `Bearer ${stack.adminToken}` },
      })
    ).json();
    expect(merge).toMatchObject({
      survivorId: customers[1],
      rule: 'fill_blanks',
      choices: { firstName: customers[0] },
    });

    await history.locator('button.undo-merge').click();
    await confirm();
    await expect.poll(() => statusOf(history), { timeout: 30_000 }).toBe('undone');
    expect(await mergedInto(customers)).toEqual([null, null]);
    const { rows: after } = await stack.pool.query(`SELECT first_name FROM customers WHERE id = $1`, [customers[1]]);
    expect(after).toEqual([{ first_name: 'Boonmee' }]);
  });

  it('merges exactly the groups selected in one batch, then undoes one of its merges', async () => {
    await groupOf(pairs[0]![0]).waitFor();
    const [somsak, niran] = await Promise.all(pairs.slice(0, 2).map(([a]) => groupIdOf(a)));
    // Select all on this page, with the keyboard, then clear it again.
    await page.focus('#select-all-groups');
    await page.keyboard.press('Space');
    await expect.poll(() => page.textContent('#selected-count')).toBe('4 groups selected');
    await page.keyboard.press('Space');
    await expect.poll(() => page.textContent('#selected-count')).toBe('0 groups selected');
    // By score: the confirmation counts the scan's groups from that score up; cancelling starts nothing.
    await page.fill('#batch-min-score', '0');
    await page.click('#merge-by-score');
    await expect.poll(() => page.textContent('dialog.confirm-dialog h2')).toBe('Merge 4 groups?');
    await page.locator('dialog.confirm-dialog button[value="cancel"]').click();
    await page.fill('#batch-min-score', '99');
    await page.press('#batch-min-score', 'Enter');
    await expect.poll(() => page.textContent('#toast')).toContain('scores at least 99');
    expect((await stack.pool.query(`SELECT id FROM merge_batches`)).rowCount).toBe(0);

    await page.getByLabel(`Select group ${somsak}`).check();
    await page.getByLabel(`Select group ${niran}`).check();

    await page.click('#merge-selected');
    await expect.poll(() => page.textContent('dialog.confirm-dialog h2')).toBe('Merge 2 groups?');
    await confirm();
    await expect
      .poll(() => page.getAttribute('#batch-status', 'data-status').catch(() => null), { timeout: 30_000 })
      .toBe('completed');
    await expect.poll(() => page.textContent('#batch-progress')).toBe('completed · 2 groups · 2 merged · 0 refused');
    const batchId = Number(/batch=(\d+)/.exec(page.url())![1]);
    const { rows: batchMerges } = await stack.pool.query(
      `SELECT group_id::int AS g, status FROM merges WHERE batch_id = $1 ORDER BY group_id`,
      [batchId],
    );
    expect(batchMerges).toEqual([somsak, niran].sort((a, b) => a - b).map((g) => ({ g, status: 'completed' })));
    expect(await mergedInto(pairs.flat())).toEqual([null, pairs[0]![0], null, pairs[1]![0], null, null]);

    const rows = page.locator('table.merge-history tbody tr');
    expect(await rows.count()).toBe(2);
    const somsakMerge = page.locator(`table.merge-history tr[data-group-id="${somsak}"]`);
    expect(await somsakMerge.locator('.merge-batch').textContent()).toBe(`#${batchId}`);
    await somsakMerge.getByRole('button', { name: /Undo merge/ }).click();
    await confirm();
    await expect.poll(() => statusOf(somsakMerge), { timeout: 30_000 }).toBe('undone');
    expect(await mergedInto(pairs.flat())).toEqual([null, null, null, pairs[1]![0], null, null]);
  });

  it('stays usable at 375 px with no serious accessibility problem', async () => {
    const phone = await page.context().newPage();
    await phone.setViewportSize({ width: 375, height: 800 });
    await signInTab(phone, stack.baseUrl, stack.adminToken);
    await phone.goto(page.url());
    await phone.locator('section.dedupe-group').first().waitFor();
    const overflow = await phone.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await seriousViolations(phone)).toEqual([]);
    await phone.close();
  });
});
