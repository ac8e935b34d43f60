import { readFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from '../support/axe';
import { launchChromium, screenshotsDir, signInTab } from '../support/browser';
import { nanaCsv, post, upload, waitForImport } from '../support/http';
import { startStack, type Stack } from '../support/stack';

const SAMPLE = readFileSync(path.resolve('samples/nana-customers.csv'));

let SCREENSHOTS: string;
let stack: Stack;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  SCREENSHOTS = screenshotsDir();
  stack = await startStack();
  browser = await launchChromium();
  page = await (
    await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true, bypassCSP: true })
  ).newPage();
  await signInTab(page, stack.baseUrl, stack.adminToken);
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

const SHOP_HEADER = [
  'Customer No',
  'Given Name',
  'Family Name',
  'Gender Code',
  'Mobile',
  'E-mail',
  'Birthday',
  'Spend',
  'Case Opened',
];

/** A shop's export as Excel: its own column names, birthdays day/month/year and case dates month/day/year as text, one bad email. */
async function shopWorkbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Customers');
  ws.addRow(SHOP_HEADER);
  ws.addRow([
    'S-1',
    'Arunee',
    'Thongdee',
    'F',
    '0891110001',
    'arunee@example.com',
    '31/01/1990',
    '฿1,250.00',
    '03/15/2024',
  ]);
  ws.addRow(['S-2', 'Boonsong', 'Kaewmala', 'M', '0891110002', 'boonsong@example', '15/06/1985', '300', '04/01/2024']);
  ws.addRow(['S-3', 'Chalerm', 'Saetang', 'M', '0891110003', '', '01/12/1979', '', '']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function openUploadWindow() {
  await page.click('#import-customer');
  await page.locator('dialog.upload-dialog').waitFor();
}

/** The upload window with the shop's workbook as a mapped file, through to the mapping screen. */
async function openMappingScreen(fileName: string) {
  await openUploadWindow();
  await page.selectOption('#upload-source', 'mapped');
  await page.setInputFiles('#upload-file', {
    name: fileName,
    mimeType: 'application/octet-stream',
    buffer: await shopWorkbook(),
  });
  await expect.poll(() => page.locator('#upload-confirm').isEnabled()).toBe(true);
  await page.click('#upload-confirm');
  await page.locator('#map-sample').waitFor();
  await page.locator('#map-saved').waitFor();
}

describe('the upload window', () => {
  it("offers the source's sample files and, where the source has one, the duplicate strategy; takes a dropped file", async () => {
    await openUploadWindow();
    await page.selectOption('#upload-source', 'nana');
    expect(await page.locator('#upload-duplicates').isVisible()).toBe(false);
    await page.selectOption('#upload-source', 'loyalty-users');
    expect(await page.locator('#upload-duplicates').isVisible()).toBe(true);
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('#upload-templates').getByRole('button', { name: 'CSV' }).click(),
    ]);
    expect(csv.suggestedFilename()).toBe('loyalty-users-template.csv');
    expect(readFileSync((await csv.path())!, 'utf8')).toContain('old_member_id');
    const [xlsx] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('#upload-templates').getByRole('button', { name: 'Excel' }).click(),
    ]);
    expect(xlsx.suggestedFilename()).toBe('loyalty-users-template.xlsx');

    await page.selectOption('#upload-source', 'nana');
    const dropped = await page.evaluateHandle((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'dropped.csv', { type: 'text/csv' }));
      return dt;
    }, SAMPLE.toString('utf8'));
    await page.dispatchEvent('#upload-drop', 'drop', { dataTransfer: dropped });
    await expect.poll(() => page.locator('#upload-confirm').isEnabled()).toBe(true);
    expect(await page.textContent('#upload-file-info')).toContain('dropped.csv');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'upload-window-complete.png') });
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
  });

  it('is usable from the keyboard: opens on the source, tabs through the controls in order, closes back on its button', async () => {
    await page.focus('#import-customer');
    await page.keyboard.press('Enter');
    await page.locator('dialog.upload-dialog').waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('upload-source');
    await page.keyboard.press('ArrowDown');
    expect(await page.inputValue('#upload-source')).not.toBe('');
    const order: string[] = [];
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Tab');
      order.push(
        await page.evaluate(() => document.activeElement?.id || document.activeElement?.textContent?.trim() || ''),
      );
    }
    expect(order.slice(0, 6)).toEqual([
      'CSV',
      'Excel',
      'upload-file',
      'upload-dry-run',
      'upload-approval',
      'CSV encoding and delimiter',
    ]);
    await page.keyboard.press('Escape');
    await page.locator('dialog.upload-dialog').waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('import-customer');
  });

  it('maps an Excel export on the mapping screen, previews it, saves the mapping and imports it', async () => {
    await openMappingScreen('shop-export.xlsx');
    expect(await page.locator('#map-sample thead th').allTextContents()).toEqual(SHOP_HEADER);
    // Sure suggestions are applied; the uncertain one is only offered.
    expect(await page.inputValue('#map-external_id')).toBe('Customer No');
    expect(await page.inputValue('#map-first_name')).toBe('Given Name');
    expect(await page.inputValue('#map-email')).toBe('E-mail');
    expect(await page.inputValue('#map-gender')).toBe('');
    expect(await page.textContent('#map-gender-hint')).toContain('Maybe "Gender Code"');
    await page.click('#map-gender-use');
    expect(await page.inputValue('#map-gender')).toBe('Gender Code');
    await page.selectOption('#map-date-format', 'DD/MM/YYYY');
    expect(await page.locator('#map-attributes, #map-rules, #map-date_format').count()).toBe(0);
    // A custom attribute: the case dates, written month first.
    await page.click('#map-add-attribute');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('map-attr-0-key');
    await page.fill('#map-attr-0-key', 'case_creation_date');
    await page.selectOption('#map-attr-0-column', 'Case Opened');
    expect(await page.locator('#map-attr-0-format').isVisible()).toBe(false);
    await page.selectOption('#map-attr-0-type', 'date');
    await page.selectOption('#map-attr-0-format', 'MM/DD/YYYY');

    await page.click('#map-preview');
    const previewRows = page.locator('.preview-table tbody tr');
    await expect.poll(() => previewRows.count()).toBe(3);
    expect(await previewRows.nth(0).getAttribute('class')).toBe('ok');
    expect(await previewRows.nth(1).textContent()).toContain('INVALID_EMAIL');
    const previewHeader = await page.locator('.preview-table thead th').allTextContents();
    const caseColumn = previewHeader.indexOf('attributes.case_creation_date');
    expect(caseColumn).toBeGreaterThan(0);
    expect(await previewRows.nth(0).locator('td').nth(caseColumn).textContent()).toBe('2024-03-15');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'mapping-screen.png'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);

    await page.fill('#map-name', 'Shop export');
    await page.click('#map-save');
    await page.locator('#upload-summary').waitFor();
    expect(await page.textContent('#upload-summary')).toBe(
      'Import shop-export.xlsx (3 records) from source Mapped file with mapping Shop export into the customer profiles?',
    );
    await page.click('#upload-start');
    await page.waitForURL(/#\/imports\/\d+$/);
    await page.locator('.page-head [data-status="completed"]').waitFor({ timeout: 90_000 });
    expect(await page.textContent('[data-count="created"]')).toBe('2');
    expect(await page.textContent('[data-count="rejected"]')).toBe('1');
    const { rows } = await stack.pool.query(`SELECT first_name, date_of_birth::text AS dob FROM customers ORDER BY id`);
    expect(rows).toEqual([
      { first_name: 'Arunee', dob: '1990-01-31' },
      { first_name: 'Chalerm', dob: '1979-12-01' },
    ]);
    const saved = await (
      await fetch(`${stack.baseUrl}/api/mappings`, { headers: { authorization: `Bearer ${stack.adminToken}` } })
    ).json();
    expect(saved.items.map((m: any) => m.name)).toEqual(['Shop export']);
    expect(saved.items[0].fields['attributes.case_creation_date']).toEqual({
      column: 'Case Opened',
      type: 'date',
      format: 'MM/DD/YYYY',
    });
    const attributes = await stack.pool.query(
      `SELECT c.first_name, a.key, a.value FROM customer_attributes a JOIN customers c ON c.id = a.customer_id ORDER BY c.id`,
    );
    expect(attributes.rows).toEqual([{ first_name: 'Arunee', key: 'case_creation_date', value: '2024-03-15' }]);
  });

  it('reuses a saved mapping for the next file', async () => {
    await page.goto(`${stack.baseUrl}/#/`);
    await openMappingScreen('shop-export-2.xlsx');
    await page.selectOption('#map-saved', { label: 'Shop export' });
    expect(await page.inputValue('#map-gender')).toBe('Gender Code');
    expect(await page.inputValue('#map-date-format')).toBe('DD/MM/YYYY');
    expect(await page.inputValue('#map-name')).toBe('Shop export');
    expect(await page.inputValue('#map-attr-0-key')).toBe('case_creation_date');
    expect(await page.inputValue('#map-attr-0-column')).toBe('Case Opened');
    expect(await page.inputValue('#map-attr-0-format')).toBe('MM/DD/YYYY');
    await page.keyboard.press('Escape');
  });
});

describe('the import log and the actions', () => {
  it('imports a validated dry run for real', async () => {
    const dry = await upload(stack, SAMPLE, { fileName: 'nana-dry-run.csv', fields: { dryRun: 'true' } });
    await waitForImport(stack, dry.body.id);
    await page.goto(`${stack.baseUrl}/#/imports/${dry.body.id}`);
    await page.locator('#action-import-for-real').click();
    const question = page.locator('dialog.confirm-dialog');
    expect(await question.textContent()).toContain('Import nana-dry-run.csv for real?');
    await question.getByRole('button', { name: 'Import for real' }).click();
    await page.locator('.page-head [data-status="completed"]').waitFor({ timeout: 90_000 });
    expect(await page.textContent('[data-count="created"]')).toBe('4');
  });

  it('filters the log by status and source and finds an import by part of its file name', async () => {
    await page.goto(`${stack.baseUrl}/#/`);
    const rows = page.locator('.imports-table tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    await page.selectOption('#filter-source', 'mapped');
    await expect.poll(() => rows.count()).toBe(1);
    // The list redraws after each filter's request: poll the row, not a draw that may be the one before.
    await expect.poll(() => rows.first().textContent()).toContain('shop-export.xlsx');
    await page.selectOption('#filter-source', '');
    await page.fill('#filter-file-name', 'DRY');
    await page.press('#filter-file-name', 'Enter');
    await expect.poll(() => page.url()).toContain('fileName=DRY');
    await expect.poll(() => rows.first().textContent()).toContain('nana-dry-run.csv');
    await expect.poll(() => rows.count()).toBe(1);
    await page.fill('#filter-file-name', '');
    await page.selectOption('#filter-status', 'failed');
    await expect.poll(() => page.textContent('main')).toContain('No import matches these filters.');
    await page.selectOption('#filter-status', 'completed');
    await expect.poll(() => rows.count()).toBe(2);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'import-list-filters.png') });
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('labels an import waiting for another one and cancels it from its page', async () => {
    const nana = await upload(
      stack,
      nanaCsv([{ nana_cus_id: 'W-1', firstname: 'Wait', lastname: 'Nana', phone: '0833330001' }]),
      { fileName: 'held.csv', fields: { requireApproval: 'true', testBatchSize: '1' } },
    );
    await waitForImport(stack, nana.body.id, ['awaiting_approval']);
    const shop = await upload(stack, 'careshop_id,firstname,lastname,mobile_phone\nCS-1,Wait,Shop,0833330002\n', {
      source: 'careshop',
      fileName: 'shop-behind.csv',
    });
    await waitForImport(stack, shop.body.id, ['waiting']);
    await page.goto(`${stack.baseUrl}/#/imports/${shop.body.id}`);
    await page.locator('.page-head [data-status="waiting"]').waitFor();
    expect(await page.textContent('.page-head [data-status="waiting"]')).toBe('Waiting for another import');
    await page.click('#action-cancel');
    await page.locator('dialog.confirm-dialog').getByRole('button', { name: 'Cancel import' }).click();
    await page.locator('.page-head [data-status="rolled_back"]').waitFor({ timeout: 90_000 });
    const { rows } = await stack.pool.query(`SELECT count(*)::int AS n FROM customers WHERE import_id = $1`, [
      shop.body.id,
    ]);
    expect(rows[0].n).toBe(0);
    expect((await post(stack, `/api/imports/${nana.body.id}/reject`)).status).toBe(202);
  });
});
