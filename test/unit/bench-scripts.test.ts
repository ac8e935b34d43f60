import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// The standalone speed scripts BENCHMARKS.md tells readers to run need no database, so nothing else
// would notice when one stops running: batch-speed.ts failed on every COPY from 836c9a4 until a test
// ran it. Each runs here on a few records, as a reader would run it.
const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');

async function script(name: string, ...args: string[]): Promise<string> {
  const { stdout } = await run(tsx, [path.join(root, 'bench', name), ...args], { cwd: root, timeout: 60_000 });
  return stdout;
}

describe("the bench's standalone scripts", () => {
  it("batch-speed.ts times a Nana batch's JavaScript before each statement, COPYs included", async () => {
    const out = await script('batch-speed.ts', '--batch', '300', '--rounds', '2');
    expect(out).toMatch(/valid records a batch, 2 rounds: median [\d.]+ ms a batch/);
    for (const table of ['customers', 'customer_phones', 'customer_relations', 'sync_history', 'import_outcomes']) {
      expect(out, `the COPY into ${table}`).toMatch(new RegExp(`[\\d.]+ ms {2}COPY ${table} \\(`));
    }
  });

  it('phone-speed.ts compares the fast path with libphonenumber alone', async () => {
    const out = await script('phone-speed.ts', '--count', '2000', '--runs', '1');
    expect(out).toMatch(/fast path \(normalizePhone\): +[\d,]+ phones\/s/);
    expect(out).toMatch(/ratio: [\d.]+x/);
  });

  it('check-speed.ts times checking a record, as the batch and as validation check it', async () => {
    const out = await script('check-speed.ts', '--count', '500', '--rounds', '1');
    expect(out).toMatch(/500 records, 1 rounds, as the batch checks: median [\d.]+ µs\/record/);
    expect(out).toMatch(/as the validation checks: median [\d.]+ µs\/record/);
  });
});
