// What the import workflow decides, with stub activities and durations of a second or less: no
// database, no files. Temporal's time-skipping test server is a binary downloaded at run time, so
// these run on the dev server the integration project starts, with short durations as arguments.
import { randomUUID } from 'node:crypto';
import { ApplicationFailure, CancelledFailure, type Client, WorkflowFailedError } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Activities } from '../../activities';
import { connectClient } from '../../src/temporal/connection';
import { ferryDataConverter } from '../../src/temporal/codec';
import type { ImportProgress, ImportWorkflowInput } from '../../workflows/definitions';
import type { importWorkflow } from '../../workflows/import-workflow';
import { testCodecKeys } from '../support/stack';

type Call = { name: string; args: Record<string, unknown> };
type Phase = 'validating' | 'waiting' | 'test_batch' | 'importing' | 'verifying';

/** One import's stub world: what each activity was asked, and where an activity should stop and wait. */
class StubImport {
  readonly calls: Call[] = [];
  failBatchFrom: number | null = null;
  holdIn: Phase | null = null;
  private entered!: () => void;
  readonly reached = new Promise<void>((resolve) => (this.entered = resolve));
  private release!: () => void;
  private readonly gate = new Promise<void>((resolve) => (this.release = resolve));
  private opened = false;

  constructor(readonly total: number) {}

  named(name: string): Call[] {
    return this.calls.filter((c) => c.name === name);
  }

  open(): void {
    this.opened = true;
    this.release();
  }

  async hold(phase: Phase): Promise<void> {
    if (this.holdIn !== phase) return;
    this.entered();
    await this.gate;
  }

  /** The prerequisite is in progress while the stub holds in `waiting` and the test has not opened it. */
  prerequisiteBusy(): boolean {
    if (this.holdIn !== 'waiting' || this.opened) return false;
    this.entered();
    return true;
  }
}

const imports = new Map<number, StubImport>();
let nextImportId = 1;

function record(name: string, args: object): StubImport {
  const stub = imports.get((args as { importId: number }).importId)!;
  stub.calls.push({ name, args: args as Record<string, unknown> });
  return stub;
}

const activities: Partial<Activities> = {
  async validateRows(args) {
    const stub = record('validateRows', args);
    await stub.hold('validating');
    return { total: stub.total, valid: stub.total, checkedThrough: stub.total } as never;
  },
  async findTestBatchEnd(args) {
    const stub = record('findTestBatchEnd', args);
    await stub.hold('test_batch');
    return { lastRow: Math.min(args.size, stub.total) };
  },
  async importBatch(args) {
    const stub = record('importBatch', args);
    if (args.firstRow > 1) await stub.hold('importing');
    if (stub.failBatchFrom !== null && args.firstRow >= stub.failBatchFrom) {
      throw ApplicationFailure.nonRetryable('a permanent failure', 'PERMANENT');
    }
    return { created: args.lastRow - args.firstRow + 1, linked: 0, updated: 0, skipped: 0, rejected: 0 } as never;
  },
  async checkTestBatch(args) {
    record('checkTestBatch', args);
    return { checked: args.lastRow - args.firstRow + 1 };
  },
  async verifyImport(args) {
    const stub = record('verifyImport', args);
    await stub.hold('verifying');
    return { ok: true, sampleSize: 1 };
  },
  async rollbackImport(args) {
    record('rollbackImport', args);
    return {} as never;
  },
  async notifyImportEnded(args) {
    record('notifyImportEnded', args);
    return undefined as never;
  },
  async waitingForPrerequisite(args) {
    const stub = record('waitingForPrerequisite', args);
    return stub.prerequisiteBusy() ? 'waiting_for_nana' : null;
  },
  async recordImportEvent(args) {
    record('recordImportEvent', args);
  },
  async setImportPhase(args) {
    record('setImportPhase', args);
  },
  async recordImportFailure(args) {
    record('recordImportFailure', args);
  },
};

let client: Client;
let worker: Worker;
let connection: NativeConnection;
let running: Promise<void>;
const taskQueue = `decisions-${randomUUID()}`;

beforeAll(async () => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const address = inject('temporalAddress');
  client = await connectClient(address, 'default', testCodecKeys);
  connection = await NativeConnection.connect({ address });
  worker = await Worker.create({
    connection,
    namespace: 'default',
    taskQueue,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    dataConverter: ferryDataConverter(testCodecKeys),
    activities,
  });
  running = worker.run();
}, 60_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await connection?.close();
  await client?.connection.close();
});

/** Starts an import of `total` rows with short durations; `setUp` shapes its stub world first. */
async function start(
  total: number,
  input: Partial<ImportWorkflowInput> = {},
  setUp: (stub: StubImport) => void = () => {},
) {
  const importId = nextImportId++;
  const stub = new StubImport(total);
  setUp(stub);
  imports.set(importId, stub);
  const handle = await client.workflow.start<typeof importWorkflow>('importWorkflow', {
    taskQueue,
    workflowId: `decisions-${randomUUID()}`,
    args: [{ importId, testBatchSize: 2, batchSize: 3, prerequisitePollSeconds: 0.1, ...input }],
  });
  return { handle, stub };
}

async function failureOf(result: Promise<unknown>): Promise<unknown> {
  const err = await result.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowFailedError);
  return (err as WorkflowFailedError).cause;
}

/** Whether the workflow's latest run is another than its first. */
async function continuedAsNew(handle: { workflowId: string; firstExecutionRunId: string }): Promise<boolean> {
  return (await client.workflow.getHandle(handle.workflowId).describe()).runId !== handle.firstExecutionRunId;
}

const phases = (stub: StubImport) =>
  stub.named('setImportPhase').map((c) => `${String(c.args.status)}/${String(c.args.phase)}`);
const ranges = (stub: StubImport) => stub.named('importBatch').map((c) => [c.args.firstRow, c.args.lastRow]);

describe('the import workflow decides', { timeout: 60_000 }, () => {
  it('imports every row once, in contiguous batches after the test batch, then verifies', async () => {
    const { handle, stub } = await start(8);
    const progress = await handle.result();
    expect(progress).toMatchObject({ status: 'completed', phase: 'done', rowsImported: 8 });
    expect(ranges(stub)).toEqual([
      [1, 2],
      [3, 5],
      [6, 8],
    ]);
    expect(phases(stub)).toEqual([
      'running/validating',
      'running/test_batch',
      'running/importing',
      'running/verifying',
      'completed/done',
    ]);
    expect(stub.named('rollbackImport')).toHaveLength(0);
  });

  it('continues as new after the given number of batches and carries on from the next row', async () => {
    const { handle, stub } = await start(11, { maxBatchesPerRun: 1 });
    await handle.result();
    expect(ranges(stub)).toEqual([
      [1, 2],
      [3, 5],
      [6, 8],
      [9, 11],
    ]);
    expect(await continuedAsNew(handle)).toBe(true);
    expect(stub.named('validateRows')).toHaveLength(1);
  });

  it('expires an import whose approval does not come in time, and rolls back its test batch', async () => {
    const { handle, stub } = await start(5, { requireApproval: true, approvalTimeoutSeconds: 1 });
    const cause = await failureOf(handle.result());
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect((cause as ApplicationFailure).type).toBe('APPROVAL_EXPIRED');
    expect(stub.named('rollbackImport').map((c) => c.args.finalStatus)).toEqual(['expired']);
    expect(ranges(stub)).toEqual([[1, 2]]);
    expect(phases(stub)).toContain('awaiting_approval/test_batch');
  });

  it('goes on with the remaining batches once approved', async () => {
    const { handle, stub } = await start(5, { requireApproval: true, approvalTimeoutSeconds: 30 });
    await expect.poll(() => phases(stub), { timeout: 20_000 }).toContain('awaiting_approval/test_batch');
    await expect(handle.executeUpdate('approve', { args: [{ by: 'tester' }] })).resolves.toEqual({ status: 'running' });
    await expect(handle.result()).resolves.toMatchObject({ status: 'completed' });
    expect(ranges(stub)).toEqual([
      [1, 2],
      [3, 5],
    ]);
    expect(stub.named('recordImportEvent').map((c) => c.args.action)).toEqual(['approved']);
  });

  it('waits, visibly, while a prerequisite is in progress, continuing as new, then loads', async () => {
    const { handle, stub } = await start(3, { maxWaitPollsPerRun: 2 }, (s) => (s.holdIn = 'waiting'));
    await stub.reached;
    // Three looks: the third is made by the run that continued as new after two.
    await expect.poll(() => stub.named('waitingForPrerequisite').length, { timeout: 20_000 }).toBeGreaterThanOrEqual(3);
    await expect
      .poll(async () => (await handle.query<ImportProgress>('progress')).phase, { timeout: 20_000 })
      .toBe('waiting_for_nana');
    expect(ranges(stub)).toEqual([]);
    stub.open();
    await expect(handle.result()).resolves.toMatchObject({ status: 'completed' });
    expect(await continuedAsNew(handle)).toBe(true);
    expect(stub.named('validateRows')).toHaveLength(1);
    expect(ranges(stub)).toEqual([
      [1, 2],
      [3, 3],
    ]);
  });

  it('rolls back when a batch fails for good, and records the failure', async () => {
    const { handle, stub } = await start(8, {}, (s) => (s.failBatchFrom = 6));
    const cause = await failureOf(handle.result());
    expect(cause).toBeInstanceOf(Error);
    expect(ranges(stub)).toEqual([
      [1, 2],
      [3, 5],
      [6, 8],
    ]);
    expect(stub.named('recordImportFailure').map((c) => c.args.code)).toEqual(['PERMANENT']);
    expect(stub.named('rollbackImport').map((c) => c.args.finalStatus)).toEqual(['rolled_back']);
    expect(stub.named('verifyImport')).toHaveLength(0);
    expect(phases(stub).at(-1)).toBe('rolling_back/rolling_back');
  });

  const cancelIn: { phase: Phase; input?: Partial<ImportWorkflowInput>; later: string }[] = [
    { phase: 'validating', later: 'findTestBatchEnd' },
    { phase: 'waiting', input: { maxWaitPollsPerRun: 1000 }, later: 'findTestBatchEnd' },
    { phase: 'test_batch', later: 'checkTestBatch' },
    { phase: 'importing', later: 'verifyImport' },
    { phase: 'verifying', later: 'notifyImportEnded' },
  ];
  it.each(cancelIn)('rolls back an import cancelled while $phase', async ({ phase, input, later }) => {
    const { handle, stub } = await start(8, input, (s) => (s.holdIn = phase));
    await stub.reached;
    // Once cancel() returns the request is in the history, before whatever the held activity answers.
    await handle.cancel();
    stub.open();
    const cause = await failureOf(handle.result());
    expect(cause).toBeInstanceOf(CancelledFailure);
    expect(stub.named('rollbackImport').map((c) => c.args.finalStatus)).toEqual(['rolled_back']);
    expect(stub.named('recordImportEvent').map((c) => c.args.action)).toEqual(['cancelled']);
    expect(stub.named('recordImportFailure').map((c) => c.args.code)).toEqual(['CANCELLED']);
    if (later !== 'notifyImportEnded') expect(stub.named(later)).toHaveLength(0);
    expect(phases(stub)).not.toContain('completed/done');
  });
});
