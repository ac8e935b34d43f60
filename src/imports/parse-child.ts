import { FerryError } from '../errors';
import { openFile } from './open-file';
import type { ChildInput, ChildMessage } from './read-in-child';

/**
 * Entry of the child process an upload is read in (src/imports/read-in-child.ts): opens the file, posts
 * its scan, then one batch of records each time the api asks (one ask at a time), so the api holds
 * at most the batch it stages and the one parsed meanwhile.
 */
const BATCH_RECORDS = 1_000;
/** Characters of fields per batch: records may each be up to a MiB, and the api holds a whole batch. */
const BATCH_CHARS = 4 * 1024 * 1024;

const post = (m: ChildMessage) => process.send!(m);
const { upload, limits } = JSON.parse(process.argv[2]) as ChildInput;
// Should the api go, so does this process.
process.on('disconnect', () => process.exit(0));

try {
  const { scan, records } = await openFile(upload, limits);
  post({ type: 'scan', scan });
  process.on('message', () => {
    void nextBatch(records).catch((err: unknown) => post({ type: 'error', error: asPlain(err) }));
  });
} catch (err) {
  post({ type: 'error', error: asPlain(err) });
}

async function nextBatch(records: Awaited<ReturnType<typeof openFile>>['records']): Promise<void> {
  const batch = [];
  let chars = 0;
  while (batch.length < BATCH_RECORDS && chars < BATCH_CHARS) {
    const r = await records.next();
    if (r.done) {
      // The api ends this process once it has the last batch: exiting first could overtake the message.
      post({ type: 'batch', records: batch, done: true });
      return;
    }
    batch.push(r.value);
    for (const f of 'header' in r.value ? r.value.header : r.value.fields) chars += f.length;
  }
  post({ type: 'batch', records: batch, done: false });
}

/** Structured clone keeps an Error's message but not its class or fields: the api rebuilds it from these. */
function asPlain(err: unknown): Extract<ChildMessage, { type: 'error' }>['error'] {
  if (err instanceof FerryError)
    return { name: err.name, code: err.code, message: err.message, status: err.status, details: err.details };
  return { name: 'Error', message: err instanceof Error ? err.message : String(err) };
}
