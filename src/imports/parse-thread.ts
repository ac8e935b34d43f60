import { parentPort, workerData } from 'node:worker_threads';
import { FerryError } from '../errors';
import { openFile } from './open-file';
import type { ThreadInput, ThreadMessage } from './read-in-thread';

/**
 * Entry of the thread an upload is read in (src/imports/read-in-thread.ts): opens the file, posts
 * its scan, then one batch of records each time the api asks, so the api holds at most one batch.
 */
const BATCH_RECORDS = 1_000;

const port = parentPort!;
const post = (m: ThreadMessage) => port.postMessage(m);
const { upload, limits } = workerData as ThreadInput;

try {
  const { scan, records } = await openFile(upload, limits);
  post({ type: 'scan', scan });
  port.on('message', () => {
    void nextBatch(records).catch((err: unknown) => post({ type: 'error', error: asPlain(err) }));
  });
} catch (err) {
  post({ type: 'error', error: asPlain(err) });
}

async function nextBatch(records: Awaited<ReturnType<typeof openFile>>['records']): Promise<void> {
  const batch = [];
  while (batch.length < BATCH_RECORDS) {
    const r = await records.next();
    if (r.done) {
      post({ type: 'batch', records: batch, done: true });
      port.close();
      return;
    }
    batch.push(r.value);
  }
  post({ type: 'batch', records: batch, done: false });
}

/** Structured clone keeps an Error's message but not its class or fields: the api rebuilds it from these. */
function asPlain(err: unknown): Extract<ThreadMessage, { type: 'error' }>['error'] {
  if (err instanceof FerryError) return { name: err.name, code: err.code, message: err.message, status: err.status, details: err.details };
  return { name: 'Error', message: err instanceof Error ? err.message : String(err) };
}
