import { StagedCopyWriter } from '../db/staged-row-text';
import { FerryError } from '../errors';
import type { RawRecord } from '../files/read-records';
import { projectThroughMapping } from './mapped-projection';
import { openFile } from './open-file';
import type { ChildAsk, ChildInput, ChildMessage, StagingLayout } from './read-in-child';
import { toStagedRow } from './staged-record';

/**
 * Entry of the child process an upload is read in (src/imports/read-in-child.ts): opens the file, posts
 * its scan and header, then one batch of records each time the api asks (one ask at a time), so the
 * api holds at most the batch it stages and the one parsed meanwhile. Once the api has sent the
 * staging layout, a batch is the records' COPY data: mapping fields to columns, the JSON, the
 * escaping and the UTF-8 cost this process's CPU, not the api's main thread.
 */
const BATCH_RECORDS = 1_000;
/** Characters of fields (or bytes of COPY data) per batch: records may each be up to a MiB, and the api holds a whole batch. */
const BATCH_CHARS = 4 * 1024 * 1024;

const post = (m: ChildMessage): void => void process.send!(m);
const { upload, limits } = JSON.parse(process.argv[2]) as ChildInput;
// Should the api go, so does this process.
process.on('disconnect', () => process.exit(0));

type Records = Awaited<ReturnType<typeof openFile>>['records'];
/** Adds a record to the writer of the batch to post. */
interface StageRecord {
  writer: StagedCopyWriter;
  add(raw: RawRecord): void;
}

try {
  const { scan, records } = await openFile(upload, limits);
  post({ type: 'scan', scan });
  const first = await records.next();
  const header = !first.done && 'header' in first.value ? first.value.header : null;
  let stage: StageRecord | null = null;
  process.on('message', (ask: ChildAsk) => {
    if (ask !== 'next') stage = stagingOf(ask.layout, header ?? []);
    const batch = stage ? nextStaged(records, stage) : nextRecords(records);
    void batch.catch((err: unknown) => post({ type: 'error', error: asPlain(err) }));
  });
  post({ type: 'header', header });
} catch (err) {
  post({ type: 'error', error: asPlain(err) });
}

function stagingOf(layout: StagingLayout, header: string[]): StageRecord {
  const toRow = toStagedRow(layout.columns);
  const writer = new StagedCopyWriter(layout.importId);
  const projection = layout.mapping && projectThroughMapping(header, layout.mapping.mapping, layout.mapping.carried);
  if (!projection) return { writer, add: (raw) => writer.add(toRow(raw)) };
  return { writer, add: (raw) => writer.add(toRow({ ...raw, fields: projection.project(raw.fields) })) };
}

/** The next record, the header (posted on its own) passed over; null at the end, where the api ends this process: exiting first could overtake the last batch. */
async function nextRecord(records: Records): Promise<RawRecord | null> {
  for (;;) {
    const r = await records.next();
    if (r.done) return null;
    if (!('header' in r.value)) return r.value;
  }
}

async function nextRecords(records: Records): Promise<void> {
  const batch: RawRecord[] = [];
  let chars = 0;
  while (batch.length < BATCH_RECORDS && chars < BATCH_CHARS) {
    const r = await nextRecord(records);
    if (r === null) return post({ type: 'batch', records: batch, done: true });
    batch.push(r);
    for (const f of r.fields) chars += f.length;
  }
  post({ type: 'batch', records: batch, done: false });
}

/** Each record written as it is read: the heap holds one record at a time, never a batch of them. */
async function nextStaged(records: Records, stage: StageRecord): Promise<void> {
  while (stage.writer.rows < BATCH_RECORDS && stage.writer.bytes < BATCH_CHARS) {
    const r = await nextRecord(records);
    if (r === null) return post({ type: 'staged', batch: stage.writer.take(), done: true });
    stage.add(r);
  }
  post({ type: 'staged', batch: stage.writer.take(), done: false });
}

/** Structured clone keeps an Error's message but not its class or fields: the api rebuilds it from these. */
function asPlain(err: unknown): Extract<ChildMessage, { type: 'error' }>['error'] {
  if (err instanceof FerryError)
    return { name: err.name, code: err.code, message: err.message, status: err.status, details: err.details };
  return { name: 'Error', message: err instanceof Error ? err.message : String(err) };
}
