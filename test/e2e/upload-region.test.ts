import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForImport } from '../support/http';
import { launchChromium } from '../support/browser';
import { q } from '../support/sources';
import { startStack, type Stack } from '../support/stack';

const SINGAPORE_MEMBERS =
  'name,email,mobile,nric\nAisha Tan,aisha@example.sg,9123 4567,S1234567D\nBoon Lim,boon@example.sg,8123 4567,S1234567A\n';

let stack: Stack;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  stack = await startStack();
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 860 } })).newPage();
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe('the upload window', () => {
  it('sends the region it is given: mobiles without +65 are stored as Singapore numbers', async () => {
    await page.goto(`${stack.baseUrl}/`);
    await page.fill('#token', stack.adminToken);
    await page.press('#token', 'Enter');
    await page.getByRole('heading', { name: 'Customer imports' }).waitFor();
    await page.click('#import-customer');
    await page.locator('dialog.upload-dialog').waitFor();
    await page.selectOption('#upload-source', 'loyalty-users');
    await page.setInputFiles('#upload-file', {
      name: 'sg-members.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(SINGAPORE_MEMBERS),
    });
    await page.click('.locale-options summary');
    await page.fill('#upload-region', 'sg');
    await expect.poll(() => page.locator('#upload-confirm').isEnabled()).toBe(true);
    await page.click('#upload-confirm');
    await page.locator('#upload-summary').waitFor();
    expect(await page.textContent('#upload-locale-summary')).toBe('Read with region SG.');
    await page.click('#upload-start');
    await page.waitForURL(/#\/imports\/\d+$/);
    const id = Number(/imports\/(\d+)$/.exec(page.url())![1]);
    const done = await waitForImport(stack, id);
    expect(done.locale).toMatchObject({ region: 'SG', nationalIdScheme: 'sg' });
    expect(done.counts).toMatchObject({ created: 1, rejected: 1 });
    const phones = await q(
      stack,
      `SELECT p.phone FROM customer_phones p JOIN customers c ON c.id = p.customer_id WHERE c.import_id = $1`,
      [id],
    );
    expect(phones).toEqual([{ phone: '+6591234567' }]);
  });
});
