import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from '../support/axe';
import { launchChromium, screenshotsDir, signInTab } from '../support/browser';
import { importFile, waitForImport } from '../support/http';
import { csv } from '../support/sources';
import { startStack, type Stack } from '../support/stack';

const SAMPLE = readFileSync(path.resolve('samples/nana-customers.csv'));

let SCREENSHOTS: string;
let stack: Stack;
let browser: Browser;
let page: Page;
let parent: any;

const signIn = (p: Page) => signInTab(p, stack.baseUrl, stack.adminToken);

beforeAll(async () => {
  SCREENSHOTS = screenshotsDir();
  stack = await startStack();
  parent = await importFile(stack, SAMPLE, { fileName: 'nana-customers.csv' });
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true })).newPage();
  await signIn(page);
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function openImport(id: number) {
  await page.goto(`${stack.baseUrl}/#/imports/${id}`);
  await page.locator('.records-table tbody tr').first().waitFor();
}

const recordRows = () => page.locator('.records-table tbody tr');

describe('per-record outcomes on the import page', () => {
  it('shows every record by outcome, with the customer it landed on, and finds one by legacy id', async () => {
    await openImport(parent.id);
    await expect.poll(() => recordRows().count()).toBe(9);
    expect(await page.textContent('#records-filter-rejected')).toBe('Rejected (4)');
    await page.click('#records-filter-rejected');
    await expect.poll(() => recordRows().count()).toBe(4);
    expect(await recordRows().first().textContent()).toContain('DUPLICATE_PHONE');
    await page.click('#records-filter-all');
    await page.fill('#records-search', 'N10005');
    await page.press('#records-search', 'Enter');
    await expect.poll(() => recordRows().count()).toBe(1);
    const { rows } = await stack.pool.query(
      `SELECT customer_id::int AS id FROM import_outcomes WHERE import_id = $1 AND row_number = 4`,
      [parent.id],
    );
    expect(await recordRows().first().textContent()).toBe(`4createdCustomer #${rows[0].id}`);
    await recordRows()
      .first()
      .getByRole('button', { name: `Customer #${rows[0].id}` })
      .click();
    const customer = page.locator('dialog.customer-dialog');
    await customer.locator('#customer-details').waitFor();
    expect(await customer.textContent()).toContain('Anan Boonmee');
    expect(await customer.textContent()).toContain('nana N10005');
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await customer.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(`Customer #${rows[0].id}`);
    await page.fill('#records-search', '');
    await page.press('#records-search', 'Enter');
    await expect.poll(() => recordRows().count()).toBe(9);
    await page.locator('#records').screenshot({ path: path.join(SCREENSHOTS, 'record-outcomes.png') });
    expect(await seriousViolations(page)).toEqual([]);
  });
});

describe('fixing rejected records', () => {
  it('corrects two records in place and submits them as a follow-up that creates them', async () => {
    await openImport(parent.id);
    await page.click('[data-fix-row="5"]');
    await page.fill('#fix-5-date_of_birth', '1992-12-01');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'fix-record.png'), fullPage: true });
    await page.getByRole('button', { name: 'Keep correction' }).click();
    await page.click('[data-fix-row="6"]');
    // The editor opens on the first rejected field, so a keyboard user types there at once.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('fix-6-gender');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('M');
    await page.fill('#fix-6-email', 'prasit@example.com');
    await page.fill('#fix-6-phone', '0899990007');
    await page.press('#fix-6-phone', 'Enter');
    expect(await page.textContent('#submit-fixes')).toBe('Submit 2 corrected records');
    expect(await seriousViolations(page)).toEqual([]);
    await page.click('#submit-fixes');

    await page.waitForURL((url) => !url.hash.endsWith(`/imports/${parent.id}`));
    const followUpId = Number(/imports\/(\d+)$/.exec(page.url())![1]);
    await page.locator('#parent-link').waitFor();
    await page.locator('.page-head [data-status="completed"]').waitFor({ timeout: 90_000 });
    expect(await page.textContent('[data-count="created"]')).toBe('2');
    expect(await page.textContent('#parent-link')).toBe(`rejected records of import #${parent.id}`);

    await page.click('#parent-link');
    await page.locator('#fixes-note').waitFor();
    expect(await page.textContent('#fixes-note')).toContain(
      `2 of 4 rejected records fixed later · follow-ups: #${followUpId} (Success, 2 of 2 fixed)`,
    );
    expect(await page.locator('.errors-table tr[data-row-number="5"]').textContent()).toContain(
      `Fixed by import #${followUpId}`,
    );
    expect(await page.locator('[data-fix-row="5"]').count()).toBe(0);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'fixed-records.png'), fullPage: true });
  });

  it('uploads a corrected error report as a follow-up, and shows a refusal naming the record', async () => {
    await openImport(parent.id);
    const report = await (
      await fetch(`${stack.baseUrl}${parent.links.errorsCsv}`, {
        headers: { authorization: `Bearer ${stack.adminToken}` },
      })
    ).text();
    const [header, ...lines] = report.trim().split(/\r?\n/);
    const row9 = lines.find((l) => l.includes('Nobody'))!;
    const row6 = lines.find((l) => l.includes('Prasit'))!;
    // The report quotes every value it holds (the file's own empty cells stay empty).
    expect(row9.startsWith(',,"F",,"Nobody",,,,,')).toBe(true);
    const fixed9 = row9.replace(',,"F",,"Nobody",,,,,', ',"N10009","F","Nop","Nobody",,,"0899990009",,');

    await page.setInputFiles('#fix-report-file', {
      name: 'corrected.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from([header, row6].join('\n') + '\n'),
    });
    await expect
      .poll(() => page.textContent('#fixes-message'))
      .toMatch(/corrected\.csv: record 1, column row_number: row 6 of import \d+ was already fixed by import \d+/);

    await page.setInputFiles('#fix-report-file', {
      name: 'corrected.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from([header, fixed9].join('\n') + '\n'),
    });
    await page.waitForURL((url) => !url.hash.endsWith(`/imports/${parent.id}`));
    const id = Number(/imports\/(\d+)$/.exec(page.url())![1]);
    const done = await waitForImport(stack, id);
    expect(done).toMatchObject({ status: 'completed', parentImportId: parent.id, counts: { total: 1, created: 1 } });
  });

  it('stays usable at 375 px: records and fixes without sideways scrolling of the page', async () => {
    const phone = await page.context().newPage();
    await phone.setViewportSize({ width: 375, height: 800 });
    await signIn(phone);
    await phone.goto(`${stack.baseUrl}/#/imports/${parent.id}`);
    await phone.locator('.records-table tbody tr').first().waitFor();
    const overflow = await phone.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await phone.screenshot({ path: path.join(SCREENSHOTS, 'import-page-phone.png'), fullPage: true });
    expect(await seriousViolations(phone)).toEqual([]);
    await phone.close();
  });
});

describe('skipped points lines', () => {
  it('name the row and import of the earlier transaction they matched', async () => {
    const members = await importFile(
      stack,
      csv(
        ['name', 'email', 'mobile', 'old_member_id'],
        [{ name: 'Member Hundred', email: 'm100@example.com', mobile: '0897770100', old_member_id: 'M100' }],
      ),
      { source: 'loyalty-users' },
    );
    expect(members.counts.created).toBe(1);
    const reward = {
      member_id: 'M100',
      points: '10',
      type: 'Credit',
      date: '2024-01-05',
      description: 'Purchase reward',
    };
    const redeem = { ...reward, points: '3', type: 'Debit', date: '2024-01-06', description: 'Redeem' };
    const file = csv(['member_id', 'points', 'type', 'date', 'description'], [reward, reward, redeem]);
    const first = await importFile(stack, file, { source: 'loyalty-points' });
    const again = await importFile(stack, file, { source: 'loyalty-points' });
    expect(again.counts).toMatchObject({ skipped: 3, created: 0 });

    await openImport(again.id);
    await expect.poll(() => recordRows().count()).toBe(3);
    const second = await recordRows().nth(1).textContent();
    expect(second).toContain(`SAME_TRANSACTION the same transaction as row 2 of import ${first.id}`);
    expect(second).toContain('Customer #');
    expect(await seriousViolations(page)).toEqual([]);
  });
});
