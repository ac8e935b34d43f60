import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { createDedupeActivities } from '../../activities/dedupe-activities';
import { BatchPrefetch } from '../imports/batch-prefetch';
import type { WorkerDeps } from '../imports/deps';
import type { CodecKey } from '../codec-keys';
import { ferryDataConverter } from './codec';
import { projectPath } from '../project-root';

export const workflowsPath = projectPath('workflows/index.ts');

export interface FerryWorkerOptions {
  address: string;
  namespace: string;
  taskQueue: string;
  maxActivities: number;
  /** A prebuilt bundle (tests build one per run); otherwise the workflows are bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Encrypt payloads and failure messages (FERRY_CODEC_KEYS); none: plain payloads. */
  codecKeys?: CodecKey[];
}

/** A worker for the import and rollback workflows; the caller owns deps and the run loop. */
export async function createFerryWorker(
  deps: WorkerDeps,
  opts: FerryWorkerOptions,
): Promise<{ worker: Worker; connection: NativeConnection }> {
  const connection = await NativeConnection.connect({ address: opts.address });
  const worker = await Worker.create({
    connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    // One batch prepared ahead per worker process (see BatchPrefetch).
    activities: { ...createActivities({ prefetch: new BatchPrefetch(), ...deps }), ...createDedupeActivities(deps) },
    dataConverter: ferryDataConverter(opts.codecKeys),
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath }),
    maxConcurrentActivityTaskExecutions: opts.maxActivities,
    // Ctrl-C or a deploy lets a batch finish its transaction instead of abandoning it.
    shutdownGraceTime: '30 seconds',
  });
  return { worker, connection };
}
