import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes';
import { startStack, type Stack } from '../support/stack';
import { freshNanaFile, getJson, post, waitForImport } from '../support/http';
import { freePort } from '../support/free-port';
import { startApiProcess, stopProcess } from './faults/support';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = path.join(root, 'bin/ferry.js');
const sample = path.join(root, 'samples/nana-customers.csv');

let stack: Stack;
let dir: string;
beforeAll(async () => {
  stack = await startStack();
  // A directory of its own: the CLI must work from anywhere, not only from the repository.
  dir = mkdtempSync(path.join(tmpdir(), 'ferry-cli-'));
});
afterAll(async () => {
  await stack?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `node bin/ferry.js …` as a script would run it, with FERRY_URL and FERRY_TOKEN set. */
function ferry(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: dir,
      env: { ...process.env, FERRY_URL: stack.baseUrl, FERRY_TOKEN: stack.adminToken, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('ferry import --wait', () => {
  let imported: { id: number };

  it('exits 0 once the sample file is completed and prints the counts', async () => {
    const run = await ferry(['import', sample, '--source', 'nana', '--wait', '--interval', '0.2']);
    expect(run.stderr).toMatch(/import \d+ accepted: 9 records/);
    expect(run.stderr).toMatch(/import \d+ completed\/done \[#{20}\] 100% {2}9\/9 rows\n$/);
    expect(run.code).toBe(EXIT.OK);
    expect(run.stdout).toMatch(/^import \d+ {2}completed/);
    expect(run.stdout).toContain('total 9  valid 6');
    expect(run.stdout).toContain('created 4  linked 0  updated 0  skipped 1  rejected 4');
    expect(run.stdout).toContain('verified  ok');
    imported = { id: Number(run.stdout.match(/^import (\d+)/)![1]) };
  });

  it('exits 0 for a dry run that ends validated, and --json prints the import', async () => {
    const run = await ferry([
      'import',
      sample,
      '--source',
      'nana',
      '--dry-run',
      '--wait',
      '--interval',
      '0.2',
      '--json',
    ]);
    expect(run.code).toBe(EXIT.OK);
    const body = JSON.parse(run.stdout);
    expect(body).toMatchObject({ status: 'validated', counts: { total: 9, valid: 6 } });
  });

  it('exits 10 with the api message when the header is wrong, and stages nothing', async () => {
    const bad = path.join(dir, 'bad-header.csv');
    writeFileSync(bad, 'nana_cus_id,firstname,mobile_no\nN1,A,0812345678\n');
    const before = (await getJson(stack, '/api/imports')).body.total;
    const run = await ferry(['import', bad, '--source', 'nana', '--wait']);
    expect(run.code).toBe(EXIT.FILE_REJECTED);
    expect(run.stderr).toContain('bad-header.csv');
    expect(run.stderr).toContain('lastname, phone');
    expect(run.stderr).toContain('INVALID_HEADER, HTTP 422 on POST /api/imports');
    expect(run.stdout).toBe('');
    expect((await getJson(stack, '/api/imports')).body.total).toBe(before);
  });

  it('exits 2 without calling the api when the file does not exist', async () => {
    const run = await ferry(['import', 'no-such-file.csv', '--source', 'nana']);
    expect(run.code).toBe(EXIT.USAGE);
    expect(run.stderr).toContain('cannot read no-such-file.csv: no such file');
  });

  it('exits 11 when waiting on an import that ends rolled back', async () => {
    expect((await post(stack, `/api/imports/${imported.id}/rollback`)).status).toBe(202);
    // Right after the request the import still reads completed: wait until the rollback has begun.
    await waitForImport(stack, imported.id, ['rolling_back', 'rolled_back']);
    const run = await ferry(['status', String(imported.id), '--wait', '--interval', '0.2']);
    expect(run.code).toBe(EXIT.ROLLED_BACK);
    expect(run.stdout).toContain(`import ${imported.id}  rolled_back`);
  });
});

describe('reading imports', () => {
  let id: number;
  beforeAll(async () => {
    const run = await ferry(['import', sample, '--source', 'nana', '--json']);
    expect(run.code).toBe(EXIT.OK);
    id = JSON.parse(run.stdout).id;
    const waited = await ferry(['status', String(id), '--wait', '--interval', '0.2']);
    expect(waited.code).toBe(EXIT.OK);
  });

  it('status prints the import, and --json the api body', async () => {
    const text = await ferry(['status', String(id)]);
    expect(text.code).toBe(EXIT.OK);
    expect(text.stdout).toContain(`import ${id}  completed`);
    expect(text.stdout).toContain('file      nana-customers.csv');
    const json = await ferry(['status', String(id), '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ id, status: 'completed', source: 'nana', createdBy: 'alice' });
  });

  it('list --json gives the page with the import, newest first', async () => {
    const run = await ferry(['list', '--json', '--source', 'nana', '--status', 'completed']);
    expect(run.code).toBe(EXIT.OK);
    const page = JSON.parse(run.stdout);
    expect(page).toMatchObject({ page: 1, pageSize: 20 });
    expect(page.items[0].id).toBe(id);
    expect(page.items.every((i: { status: string }) => i.status === 'completed')).toBe(true);
    const text = await ferry(['list']);
    expect(text.stdout).toMatch(/^ID\s+STATUS\s+SOURCE/);
  });

  it('errors -o writes the CSV report, and without -o prints the page', async () => {
    const file = path.join(dir, 'report.csv');
    const run = await ferry(['errors', String(id), '-o', file]);
    expect(run.code).toBe(EXIT.OK);
    expect(run.stderr).toContain(`written to ${file}`);
    // Every field of the report is quoted (no cell can start a formula), so it is read as CSV, not split on lines.
    const rows: string[][] = parse(readFileSync(file, 'utf8'), { bom: true });
    expect(rows[0].join(',')).toMatch(/^careos_cus_id,nana_cus_id,.*row_number,line_number,errors$/);
    expect(rows).toHaveLength(5);
    expect(rows.flat().join('\n')).toContain('DUPLICATE_PHONE');
    const page = await ferry(['errors', String(id), '--json']);
    expect(JSON.parse(page.stdout)).toMatchObject({ total: 4, page: 1 });
    const text = await ferry(['errors', String(id)]);
    expect(text.stdout).toMatch(/row 3 \(line \d+\)\n {2}phone {2}DUPLICATE_PHONE/);
  });

  it('sources and template show what a file must look like', async () => {
    const sources = JSON.parse((await ferry(['sources', '--json'])).stdout);
    expect(sources.items.map((s: { name: string }) => s.name)).toContain('nana');
    const file = path.join(dir, 'nana-template.csv');
    expect((await ferry(['template', 'nana', '-o', file])).code).toBe(EXIT.OK);
    expect(readFileSync(file, 'utf8')).toMatch(/^careos_cus_id,nana_cus_id,gender,firstname,lastname/);
    const unknown = await ferry(['template', 'nope']);
    expect(unknown.code).toBe(EXIT.NOT_FOUND);
    expect(unknown.stderr).toContain('source nope not found');
  });

  it('surfaces a route the api does not offer (yet) as a 404 with a hint, or runs it', async () => {
    const run = await ferry(['rollback', String(id), '--preview']);
    if (run.code === EXIT.NOT_FOUND) {
      expect(run.stderr).toContain(`this api does not offer GET /api/imports/${id}/rollback-preview`);
    } else {
      expect(run.code).toBe(EXIT.OK);
      expect(run.stdout).toContain(`rollback of import ${id} would:`);
    }
  });

  it('exits 5 for an import that does not exist', async () => {
    const run = await ferry(['status', '987654321987']);
    expect(run.code).toBe(EXIT.NOT_FOUND);
    expect(run.stderr).toMatch(/not found \(NOT_FOUND, HTTP 404 on GET \/api\/imports\/987654321987\)/);
  });
});

describe('approval', () => {
  async function awaitingApproval(): Promise<number> {
    for (let i = 0; i < 300; i++) {
      const { body } = await getJson(stack, '/api/imports?status=awaiting_approval');
      if (body.items.length > 0) return body.items[0].id;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('no import reached awaiting_approval');
  }

  it('import --approve --wait tells how to approve, then ends with the approved import', async () => {
    const waiting = ferry(['import', sample, '--source', 'nana', '--approve', '--wait', '--interval', '0.2']);
    const id = await awaitingApproval();
    const approve = await ferry(['approve', String(id)]);
    expect(approve.code).toBe(EXIT.OK);
    expect(approve.stdout).toMatch(new RegExp(`^import ${id}: approved`));
    const run = await waiting;
    expect(run.stderr).toContain(`import ${id} is waiting for approval: ferry approve ${id}`);
    expect(run.code).toBe(EXIT.OK);
    expect(run.stdout).toContain(`import ${id}  completed`);
  });

  it('reject ends the import without loading it, and waiting on it exits non-zero', async () => {
    const started = await ferry(['import', sample, '--source', 'nana', '--approve', '--json']);
    const { id } = JSON.parse(started.stdout);
    expect(await awaitingApproval()).toBe(id);
    expect((await ferry(['reject', String(id)])).code).toBe(EXIT.OK);
    const run = await ferry(['status', String(id), '--wait', '--interval', '0.2']);
    expect(run.code).not.toBe(EXIT.OK);
    expect(run.stdout).toContain('created 0');
  });
});

describe('access', () => {
  it('exits 4 with a wrong token and says so', async () => {
    const run = await ferry(['list'], { FERRY_TOKEN: 'not-a-real-token' });
    expect(run.code).toBe(EXIT.AUTH);
    expect(run.stderr).toContain('HTTP 401');
    expect(run.stderr).toContain('FERRY_TOKEN');
  });

  it('exits 4 when a viewer token tries to import', async () => {
    const run = await ferry(['import', sample, '--source', 'nana'], { FERRY_TOKEN: stack.viewerToken });
    expect(run.code).toBe(EXIT.AUTH);
    expect(run.stderr).toContain('HTTP 403');
  });

  it('takes --url and --token over the environment', async () => {
    const run = await ferry(['--url', stack.baseUrl, '--token', stack.viewerToken, 'list', '--json'], {
      FERRY_URL: 'http://127.0.0.1:1',
      FERRY_TOKEN: 'wrong-token',
    });
    expect(run.code).toBe(EXIT.OK);
  });

  it('import sends the upload again until an api answers (as in a deploy), and makes one import', async () => {
    const port = await freePort();
    const file = path.join(dir, 'during-deploy.csv');
    writeFileSync(file, freshNanaFile(20));
    const {
      rows: [{ last }],
    } = await stack.pool.query(`SELECT coalesce(max(id), 0)::int AS last FROM imports`);
    const run = ferry(['import', file, '--source', 'nana', '--wait'], { FERRY_URL: `http://127.0.0.1:${port}` });
    await new Promise((r) => setTimeout(r, 2_500));
    const api = await startApiProcess(stack, { port, env: { AUTH_TOKENS: `alice:admin:${stack.adminToken}` } });
    try {
      const done = await run;
      expect(done.stderr).toContain('sending the upload again in 1 s (1/6)');
      expect(done.code, done.stderr).toBe(EXIT.OK);
      const { rows } = await stack.pool.query(`SELECT status FROM imports WHERE id > $1`, [last]);
      expect(rows, 'one import, completed').toEqual([{ status: 'completed' }]);
    } finally {
      await stopProcess(api.child, 'SIGTERM');
    }
  });

  it('exits 3 when nothing answers, and 2 without a token', async () => {
    const down = await ferry(['list'], { FERRY_URL: 'http://127.0.0.1:1' });
    expect(down.code).toBe(EXIT.UNREACHABLE);
    expect(down.stderr).toContain('cannot reach the Ferry api at http://127.0.0.1:1');
    const anonymous = await ferry(['list'], { FERRY_TOKEN: '' });
    expect(anonymous.code).toBe(EXIT.USAGE);
    expect(anonymous.stderr).toContain('FERRY_TOKEN');
  });
});
