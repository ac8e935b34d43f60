import { fork } from 'node:child_process';
import type { StagedCopyData } from '../db/staged-row-text';
import { DEFAULT_FILE_LIMITS, type FileLimits } from '../files/file-limits';
import type { RawRecord } from '../files/read-records';
import { projectPath } from '../project-root';
import type { Mapping } from '../sources/mapped/mapping';
import { Inbox } from './child-inbox';
import type { ImportOptions } from './import-options';
import type { OpenedUpload } from './open-file';

export interface ChildInput {
  upload: { path: string; fileName: string; options: ImportOptions };
  limits: FileLimits;
}

/** What the parse process needs to turn records into staged rows' COPY data (src/db/staged-row-text.ts). */
export interface StagingLayout {
  importId: number;
  /** The source column of each field of a record (after the mapping's projection); null: not staged. */
  columns: (string | null)[];
  /** For a source read through a mapping: the mapping, and the file's columns carried beside it. */
  mapping?: { mapping: Mapping; carried: readonly string[] };
}

/** 'next' asks for the next batch as it was asked before; an ask with a layout, for staged rows from then on. */
export type ChildAsk = 'next' | { layout: StagingLayout };

export type ChildMessage =
  | { type: 'scan'; scan: OpenedUpload['scan'] }
  | { type: 'header'; header: string[] | null }
  | { type: 'batch'; records: RawRecord[]; done: boolean }
  | { type: 'staged'; batch: StagedCopyData; done: boolean }
  | {
      type: 'error';
      error: { name: string; message: string; code?: string; status?: number; details?: Record<string, unknown> };
    };

/** An upload being read in the parse process. */
export interface ChildReader {
  scan: OpenedUpload['scan'];
  /** The file's header row; null for a file without one. */
  header(): Promise<string[] | null>;
  /** The records after the header, as read. */
  records(): AsyncGenerator<RawRecord>;
  /** The records after the header as staged rows' COPY data, built in the parse process. */
  staged(layout: StagingLayout): AsyncGenerator<StagedCopyData>;
  /** Ends the parse process, whatever its state. */
  close(): void;
}

/**
 * The bundle beside dist/api.js when running built (the bundle's import.meta.url is the one file the
 * api was built into); under tsx or vitest the source, through tsx's loader.
 */
function childEntry(): { file: string; loader: string[] } {
  if (!import.meta.url.endsWith('.ts'))
    return { file: projectPath('dist/parse-child.js'), loader: ['--enable-source-maps'] };
  return { file: projectPath('src/imports/parse-child.ts'), loader: ['--import', 'tsx'] };
}

/**
 * openFile (src/imports/open-file.ts) in a child process with a heap of its own: a file that
 * exhausts it kills that process, not the api, and is refused as FILE_TOO_COMPLEX. Records come over
 * in batches, the next asked for as one arrives and none further, so a slow COPY holds the reader back.
 */
export async function readFileInChild(
  upload: ChildInput['upload'],
  limits: FileLimits = DEFAULT_FILE_LIMITS,
): Promise<ChildReader> {
  const entry = childEntry();
  // A child process, not a worker thread: V8's --max-old-space-size, which the api runs with, is
  // process-wide and would override a thread's resourceLimits.
  const worker = fork(entry.file, [JSON.stringify({ upload, limits } satisfies ChildInput)], {
    execArgv: [...entry.loader, `--max-old-space-size=${limits.parserHeapMb}`],
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
  });
  const close = () => void worker.kill();
  const inbox = new Inbox(worker, upload.fileName, limits.parserHeapMb);
  let scan: OpenedUpload['scan'];
  try {
    scan = (await inbox.take('scan')).scan;
  } catch (err) {
    close();
    throw err;
  }
  let header: Promise<string[] | null> | undefined;
  const readHeader = () => (header ??= inbox.take('header').then((m) => m.header));
  async function* answers<M extends Extract<ChildMessage, { type: 'batch' | 'staged' }>>(
    type: M['type'],
    first: ChildAsk,
  ): AsyncGenerator<M> {
    try {
      if ((await readHeader()) === null) return;
      worker.send(first);
      for (;;) {
        const m = (await inbox.take(type)) as M;
        // The next batch is parsed while this one is staged: the api holds at most two.
        if (!m.done) worker.send('next' satisfies ChildAsk);
        yield m;
        if (m.done) return;
      }
    } finally {
      close();
    }
  }
  return {
    scan,
    header: readHeader,
    async *records() {
      for await (const m of answers<Extract<ChildMessage, { type: 'batch' }>>('batch', 'next')) yield* m.records;
    },
    async *staged(layout) {
      for await (const m of answers<Extract<ChildMessage, { type: 'staged' }>>('staged', { layout })) yield m.batch;
    },
    close,
  };
}

/** The file's header and records, read in the parse process; closing the stream ends that process. */
export async function openFileInChild(
  upload: ChildInput['upload'],
  limits: FileLimits = DEFAULT_FILE_LIMITS,
): Promise<OpenedUpload> {
  const reader = await readFileInChild(upload, limits);
  const records = (async function* () {
    try {
      const header = await reader.header();
      if (header === null) return;
      yield { header };
      yield* reader.records();
    } finally {
      reader.close();
    }
  })();
  // A generator closed before its first next() never runs its finally: closing the stream must end the reader whatever its state.
  const close = records.return.bind(records);
  records.return = (value) => {
    reader.close();
    return close(value);
  };
  return { scan: reader.scan, records };
}
