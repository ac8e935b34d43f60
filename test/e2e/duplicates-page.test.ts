import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let browser: Browser;
let page: Page;
const customers: number[] = [];

beforeAll(async () => {
  stack = await startStack();
  for (const [first, last, dob] of [
    ['Prasert', 'Boonmee', null],
    ['Boonmee', 'Prasert', '1990-07-08'],
  ]) {
    const {
      rows: [c],
    } = await stack.pool.query(
      `INSERT INTO customers (first_name, last_name, date_of_birth) VALUES ($1, $2, $3) RETURNING id::int`,
      [first, last, dob],
    );
    await stack.pool.query(`INSERT INTO customer_phones (customer_id, phone) VALUES ($1, '+66820000021')`, [c.id]);
    customers.push(c.id);
  }
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 860 } })).newPage();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe('the Duplicates screen', () => {
  it('finds a group, merges it into the chosen survivor, and undoes the merge', async () => {
    await page.goto(`${stack.baseUrl}/`);
    await page.fill('#token', stack.adminToken);
    await page.press('#token', 'Enter');
    await page.getByRole('heading', { name: 'Customer imports' }).waitFor();
    await page.click('#duplicates-link');
    await page.getByRole('heading', { name: 'Duplicate customers' }).waitFor();

    await page.click('#dedupe-start');
    const group = page.locator('section.dedupe-group');
    await group.waitFor({ timeout: 30_000 });
    expect(await group.locator('.reasons').textContent()).toContain('phone: exact');
    expect(await group.locator('tbody tr').count()).toBe(2);

    await group.getByLabel(`Keep customer ${customers[1]}`).check();
    await group.locator('button.merge-group').click();
    await page.locator('dialog.confirm-dialog button[value="confirm"]').click();
    const history = page.locator('table.merge-history tbody tr').first();
    await expect
      .poll(
        () =>
          history
            .locator('.merge-status')
            .textContent()
            .catch(() => null),
        { timeout: 30_000 },
      )
      .toBe('completed');
    const { rows } = await stack.pool.query(`SELECT merged_into::int AS m FROM customers WHERE id = $1`, [
      customers[0],
    ]);
    expect(rows).toEqual([{ m: customers[1] }]);

    await page.click('button.undo-merge');
    await page.locator('dialog.confirm-dialog button[value="confirm"]').click();
    await expect
      .poll(
        () =>
          history
            .locator('.merge-status')
            .textContent()
            .catch(() => null),
        { timeout: 30_000 },
      )
      .toBe('undone');
    const { rows: after } = await stack.pool.query(`SELECT merged_into FROM customers WHERE id = $1`, [customers[0]]);
    expect(after).toEqual([{ merged_into: null }]);
  });
});
