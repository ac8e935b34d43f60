import { readFileSync } from 'node:fs';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';
import { parseCodecKeys } from '../../src/codec-keys';
import { ferryDataConverter } from '../../src/temporal/codec';

// A run in flight when a new worker is deployed is replayed by the new code: its commands must be
// the ones the history recorded. The fixture was recorded by the code before validation moved into
// the batches (commit ccf84d4), with payloads encrypted under this test-only key.
const FIXTURE_KEYS = parseCodecKeys('replay-1:rDjWwrQ4Faaw7Pj5oxs64MFeqlaR1TT4K9mJZLeygiY=');

interface Fixture {
  workflowId: string;
  counts: Record<string, number>;
  runs: unknown[];
}

const fixture = (name: string): Fixture =>
  JSON.parse(readFileSync(new URL(`../fixtures/${name}.json`, import.meta.url), 'utf8'));

describe('histories of the import workflow recorded by earlier code', () => {
  it('replay without a nondeterminism error: an import that validated its whole file first, continued as new once', async () => {
    const recorded = fixture('import-workflow-whole-file-validation');
    expect(recorded.runs).toHaveLength(2);
    expect(recorded.counts).toMatchObject({ total: 14, valid: 11, rejected: 3 });
    for (const run of recorded.runs) {
      await Worker.runReplayHistory(
        { workflowBundle: { codePath: inject('workflowBundlePath') }, dataConverter: ferryDataConverter(FIXTURE_KEYS) },
        historyFromJSON(run),
        recorded.workflowId,
      );
    }
  }, 60_000);
});
