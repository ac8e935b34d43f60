import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upload, waitForImport } from '../support/http';
import { launchChromium, screenshotsDir } from '../support/browser';
import { startStack, type Stack } from '../support/stack';

const SAMPLE = path.resolve('samples/nana-customers.csv');

let SCREENSHOTS: string;
let stack: Stack;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  SCREENSHOTS = screenshotsDir();
  stack = await startStack();
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 860 }, acceptDownloads: true });
  page = await context.newPage();
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function signIn(p: Page, token: string) {
  await p.goto(`${stack.baseUrl}/`);
  await p.fill('#token', token);
  await p.press('#token', 'Enter');
  await p.getByRole('heading', { name: 'Customer imports' }).waitFor();
}

async function openUploadWindow() {
  await page.click('#import-customer');
  await page.locator('dialog.upload-dialog').waitFor();
}

async function closeUploadWindow() {
  await page.keyboard.press('Escape');
  await page.locator('dialog.upload-dialog').waitFor({ state: 'detached' });
}

describe('the admin page', () => {
  it('asks for a token, refuses a wrong one, and shows the import log after signing in', async () => {
    await page.goto(`${stack.baseUrl}/`);
    await page.fill('#token', 'not-a-token');
    await page.click('#sign-in');
    await expect.poll(() => page.textContent('#sign-in-message')).toContain('not valid');
    await signIn(page, stack.adminToken);
    await expect.poll(() => page.textContent('main')).toContain('No imports yet');
  });

  it('keeps Confirm disabled until both a source and a file are chosen', async () => {
    await openUploadWindow();
    const confirm = page.locator('#upload-confirm');
    expect(await confirm.isDisabled()).toBe(true);
    await page.setInputFiles('#upload-file', SAMPLE);
    await page.waitForTimeout(200);
    expect(await confirm.isDisabled()).toBe(true);
    await page.selectOption('#upload-source', 'nana');
    await expect.poll(() => confirm.isEnabled()).toBe(true);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'upload-window.png') });
    await page.selectOption('#upload-source', '');
    await expect.poll(() => confirm.isDisabled()).toBe(true);
    await closeUploadWindow();
  });

  it('shows a wrong header in the window, clears the file field and keeps Confirm disabled', async () => {
    await openUploadWindow();
    await page.selectOption('#upload-source', 'nana');
    await page.setInputFiles('#upload-file', {
      name: 'wrong-header.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('nana_cus_id,firstname,mobile_no,shoe_size\nN1,A,0812345678,42\n'),
    });
    await expect.poll(() => page.textContent('#upload-message')).toContain('missing columns: lastname, phone');
    expect(await page.textContent('#upload-message')).toContain('unknown columns: mobile_no, shoe_size');
    expect(await page.locator('#upload-file').inputValue()).toBe('');
    expect(await page.locator('#upload-confirm').isDisabled()).toBe(true);

    await page.setInputFiles('#upload-file', {
      name: 'customers.xlsx',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from('PK\x03\x04'),
    });
    await expect.poll(() => page.textContent('#upload-message')).toContain('Excel');
    await closeUploadWindow();
  });

  it('uploads the Nana sample, watches it complete, opens its errors, downloads the report and rolls it back', async () => {
    await openUploadWindow();
    await page.selectOption('#upload-source', 'nana');
    await page.setInputFiles('#upload-file', SAMPLE);
    await expect.poll(() => page.locator('#upload-confirm').isEnabled()).toBe(true);
    await page.click('#upload-confirm');
    const summary = page.locator('#upload-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toMatch(/nana-customers\.csv \(9 records\) from source Nana/);
    await page.click('#upload-start');

    await page.waitForURL(/#\/imports\/\d+$/);
    const id = Number(/imports\/(\d+)$/.exec(page.url())![1]);
    await page.locator('.page-head [data-status="completed"]').waitFor({ timeout: 90_000 });
    const count = (k: string) => page.textContent(`[data-count="${k}"]`);
    expect(await count('total')).toBe('9');
    expect(await count('created')).toBe('4');
    expect(await count('skipped')).toBe('1');
    expect(await count('rejected')).toBe('4');
    expect(await page.textContent('#verification-result')).toContain('Every check passed');
    expect(await page.getAttribute('#temporal-link', 'href')).toBe(
      `http://127.0.0.1:8233/namespaces/default/workflows/import-${id}`,
    );

    // Rejected rows show row, fields and reasons; the record's values only on demand.
    const errorRows = page.locator('.errors-table tbody tr[data-row-number]');
    await expect.poll(() => errorRows.count()).toBe(4);
    expect(await page.textContent('#errors')).toContain('DUPLICATE_PHONE');
    expect(await page.textContent('#errors')).not.toContain('Malee');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'import-page.png'), fullPage: true });
    await errorRows.filter({ hasText: 'DUPLICATE_PHONE' }).getByRole('button', { name: 'Show record' }).click();
    await expect.poll(() => page.textContent('#errors')).toContain('Malee');

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-errors')]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`import-${id}-errors\\.csv$`));
    const report = readFileSync((await download.path())!, 'utf8');
    expect(report).toContain('row_number');
    expect(report.split('\n').filter((l) => l.trim() !== '')).toHaveLength(5);

    await page.click('#action-rollback');
    const question = page.locator('dialog.confirm-dialog');
    await question.waitFor();
    expect(await question.textContent()).toContain(`Roll back import #${id}?`);
    // The preview's numbers, worded: the sample's 4 customers with their phones, emails, companies and ids.
    expect(await question.locator('#rollback-plan li').allTextContents()).toEqual([
      'Removes 4 customers, 5 phones, 3 emails, 3 companies and 5 links this import created.',
    ]);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'rollback-dialog.png') });
    await question.getByRole('button', { name: 'Roll back' }).click();
    await page.locator('.page-head [data-status="rolled_back"]').waitFor({ timeout: 90_000 });
    const { rows } = await stack.pool.query(`SELECT count(*)::int AS n FROM customers WHERE import_id = $1`, [id]);
    expect(rows[0].n).toBe(0);
  });

  it('lists imports newest first with their status, error report and pagination at the top and the bottom', async () => {
    const dry = await upload(stack, readFileSync(SAMPLE), { fileName: 'nana-dry-run.csv', fields: { dryRun: 'true' } });
    await waitForImport(stack, dry.body.id);
    await page.click('a[href="#/"]');
    const rows = page.locator('.imports-table tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.nth(0).textContent()).toContain('nana-dry-run.csv');
    expect(await rows.nth(0).textContent()).toContain('Validated (dry run)');
    expect(await rows.nth(1).textContent()).toContain('Rolled back');
    expect(await rows.nth(1).textContent()).toMatch(/Error report \(\d+\)/);
    expect(await page.locator('nav.pagination').count()).toBe(2);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'import-list.png') });

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      rows
        .nth(1)
        .getByRole('button', { name: /Error report/ })
        .click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/import-\d+-errors\.csv$/);

    const phone = await context.newPage();
    await phone.setViewportSize({ width: 390, height: 800 });
    await signIn(phone, stack.adminToken);
    await phone.locator('.imports-table tbody tr').first().waitFor();
    await phone.screenshot({ path: path.join(SCREENSHOTS, 'import-list-phone.png'), fullPage: true });
    await phone.close();
  });

  it('shows a viewer the forbidden answer in the window instead of uploading', async () => {
    const viewer = await browser.newPage();
    await signIn(viewer, stack.viewerToken);
    await viewer.click('#import-customer');
    await viewer.selectOption('#upload-source', 'nana');
    await viewer.setInputFiles('#upload-file', SAMPLE);
    await expect.poll(() => viewer.locator('#upload-confirm').isEnabled()).toBe(true);
    await viewer.click('#upload-confirm');
    await viewer.click('#upload-start');
    await expect.poll(() => viewer.textContent('#upload-message')).toContain('admin');
    await viewer.close();
  });

  // The page loads the sources, then the import list; a sign-out may land while either is on its way.
  it.each([
    ['the sources', '/api/sources'],
    ['the imports of the list', '/api/imports'],
  ])(
    'stays signed out when the sign-out comes while %s are on their way: the late answer draws nothing',
    async (_what, pathname) => {
      const tab = await context.newPage();
      await signIn(tab, stack.adminToken);
      let release = () => {};
      const held = new Promise<void>((r) => (release = r));
      const isHeld = (url: URL | string) => new URL(url).pathname === pathname;
      await tab.route(isHeld, async (route) => {
        await held;
        await route.continue();
      });
      const asked = tab.waitForRequest((req) => isHeld(req.url()));
      await tab.reload();
      await asked;
      await tab.click('#sign-out');
      await tab.locator('#token').waitFor();
      const answered = tab.waitForResponse((res) => isHeld(res.url()));
      release();
      expect((await answered).status(), 'the held request went with the token').toBe(200);
      await tab.evaluate(() => new Promise((r) => setTimeout(r, 200)));
      expect(await tab.locator('#token').isVisible()).toBe(true);
      expect(await tab.getByRole('heading', { name: 'Customer imports' }).count()).toBe(0);
      await tab.close();
    },
  );
});
