import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freshNanaFile, getJson, upload } from '../../support/http';
import { startStack, type Stack } from '../../support/stack';
import { startApiProcess, stopProcess } from './support';

// Uploads are read in a child process with a heap of its own (PARSER_HEAP_MB): a file that needs
// more kills that process, never the api, which answers everyone else meanwhile. That process holds
// one record at a time: the api refusing files runs with the least heap the configuration allows.
const PARSER_HEAP_MB = 16;
const LEAST_PARSER_HEAP_MB = 8;
let stack: Stack;
let api: { child: ChildProcess; asStack: Stack };
let tight: { child: ChildProcess; asStack: Stack };

beforeAll(async () => {
  stack = await startStack({ worker: false });
  [api, tight] = await Promise.all([
    startApiProcess(stack, { env: { PARSER_HEAP_MB: String(PARSER_HEAP_MB) } }),
    startApiProcess(stack, { env: { PARSER_HEAP_MB: String(LEAST_PARSER_HEAP_MB) } }),
  ]);
});
afterAll(async () => {
  await stopProcess(api?.child, 'SIGTERM');
  await stopProcess(tight?.child, 'SIGTERM');
  await stack?.close();
});

const count = async (table: string) =>
  (await stack.pool.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n as number;

/** A Nana file of `records` records of near a MiB each, within the record bound. */
function wideNanaFile(records: number): string {
  const [header, ...rows] = freshNanaFile(records).trimEnd().split('\n');
  const wide = rows.map((r) =>
    r.replace(/^([^,]*),([^,]*),/, (_m, a: string, b: string) => `${a},${b}${'x'.repeat(900 * 1024)},`),
  );
  return [header, ...wide, ''].join('\n');
}

it('refuses a file whose records exhaust the parser heap with 413 FILE_TOO_COMPLEX; the api process lives and answers meanwhile', async () => {
  const pid = tight.child.pid;
  const file = wideNanaFile(10);
  const before = await count('imports');
  const refused = upload(tight.asStack, file, { fileName: 'wide.csv' });
  const meanwhile = await getJson(tight.asStack, '/api/imports');
  const res = await refused;
  expect(meanwhile.status, 'answered while the file was read').toBe(200);
  expect([res.status, res.body.error?.code], JSON.stringify(res.body)).toEqual([413, 'FILE_TOO_COMPLEX']);
  expect(res.body.error.message).toMatch(
    /^wide\.csv: reading the file needs more than the 8 MB a parser may use \(PARSER_HEAP_MB\)/,
  );
  expect(await count('imports'), 'no import recorded').toBe(before);
  expect(await count('import_rows'), 'nothing staged').toBe(0);
  expect([tight.child.exitCode, tight.child.pid], 'the same api process, still up').toEqual([null, pid]);
  expect((await fetch(`${tight.asStack.baseUrl}/healthz`)).status).toBe(200);
});

it('stages records of near a MiB each within the same heap: batches are bounded in characters, not records alone', async () => {
  const res = await upload(api.asStack, wideNanaFile(40), {
    fileName: 'wide.csv',
    fields: { dryRun: 'true' },
  });
  expect([res.status, res.body.total], JSON.stringify(res.body)).toEqual([202, 40]);
  expect(api.child.exitCode).toBeNull();
});

it('carries a refusal from the thread with its code, status and details', async () => {
  const res = await upload(api.asStack, 'careos_cus_id,nana_cus_id\n1,2\n', {
    fileName: 'semi.csv',
    fields: { delimiter: ';' },
  });
  expect([res.status, res.body.error?.code, res.body.error?.details]).toEqual([
    422,
    'DELIMITER_MISMATCH',
    { line: 1, delimiter: ';', detected: ',' },
  ]);
  expect(res.body.error.message).toMatch(/^semi\.csv: line 1 has no ";"/);
});

it('leaves no reading process behind when a mapped upload names no saved mapping', async () => {
  const readers = () =>
    execFileSync('ps', ['-o', 'pid=', '--ppid', String(api.child.pid)], { encoding: 'utf8' })
      .trim()
      .split(/\s+/)
      .filter(Boolean);
  // ps exits 1 when the api has no child at all; that is the answer wanted.
  const childrenOf = () => {
    try {
      return readers();
    } catch {
      return [];
    }
  };
  const res = await upload(api.asStack, 'Code,Name\nM-1,Dao Ruang\n', {
    source: 'mapped',
    fileName: 'shop.csv',
    fields: { mappingId: '999999' },
  });
  expect([res.status, res.body.error?.code]).toEqual([400, 'UNKNOWN_MAPPING']);
  await expect.poll(childrenOf, { timeout: 5_000 }).toEqual([]);
});
