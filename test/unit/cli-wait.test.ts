import { describe, expect, it } from 'vitest';
import { ApiUnreachableError, type ApiClient, type ImportView } from '../../src/cli/api-client';
import { waitForImport } from '../../src/cli/wait';

function view(status: ImportView['status'], phase: string, done: number): ImportView {
  return {
    id: 5,
    source: 'nana',
    status,
    phase,
    fileName: 'f.csv',
    createdBy: 'alice',
    createdAt: '',
    finishedAt: null,
    workflowId: 'import-5',
    progress: { rowsProcessed: done, total: 1000, percent: done / 10 },
    counts: { total: 1000, valid: 1000, created: done, linked: 0, updated: 0, skipped: 0, rejected: 0 },
    verification: null,
    failure: null,
  };
}

/** A client whose getImport answers from a script, one step per poll; an Error step is thrown. */
function scripted(steps: (ImportView | Error)[]) {
  let i = 0;
  return {
    getImport: async () => {
      const step = steps[Math.min(i++, steps.length - 1)];
      if (step instanceof Error) throw step;
      return step;
    },
  } as unknown as ApiClient;
}

async function run(steps: (ImportView | Error)[], isTTY: boolean) {
  let out = '';
  let clock = 0;
  const imp = await waitForImport(
    {
      client: scripted(steps),
      stderr: { write: (t) => (out += t), isTTY },
      now: () => clock,
      sleep: async (ms) => void (clock += ms),
    },
    5,
    1000,
  );
  return { imp, out };
}

describe('waitForImport', () => {
  it('prints a line per change to a log, with the ETA from the recent rate, and ends at a terminal status', async () => {
    // 0 rows for 1 s, then 250 a second: 250 rows in 2 s with 750 left is 6 s.
    const { imp, out } = await run(
      [
        view('running', 'importing', 0),
        view('running', 'importing', 0),
        view('running', 'importing', 250),
        view('running', 'importing', 500),
        view('completed', 'done', 1000),
      ],
      false,
    );
    expect(imp.status).toBe('completed');
    expect(out.split('\n')).toEqual([
      'import 5 running/importing [....................]   0%  0/1,000 rows  ETA --',
      'import 5 running/importing [#####...............]  25%  250/1,000 rows  ETA 6s',
      'import 5 running/importing [##########..........]  50%  500/1,000 rows  ETA 3s',
      'import 5 completed/done [####################] 100%  1,000/1,000 rows',
      '',
    ]);
  });

  it('redraws one line on a terminal and tells how to approve a waiting import once', async () => {
    const { out } = await run(
      [
        view('awaiting_approval', 'validating', 0),
        view('awaiting_approval', 'validating', 0),
        view('rolled_back', 'done', 0),
      ],
      true,
    );
    expect(out.match(/ferry approve 5/g)).toHaveLength(1);
    expect(out).toContain('\rimport 5 awaiting_approval/validating');
    expect(out.endsWith('rolled_back/done [....................]   0%  0/1,000 rows\x1b[K\n')).toBe(true);
  });

  it('rides out an api that is briefly unreachable', async () => {
    const down = new ApiUnreachableError('http://x', { cause: new Error('ECONNREFUSED') });
    const { imp, out } = await run([down, down, view('completed', 'done', 1000)], false);
    expect(imp.status).toBe('completed');
    expect(out).toContain('retrying (2/10)');
  });
});
