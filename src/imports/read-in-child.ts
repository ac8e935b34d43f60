import { fork, type ChildProcess } from 'node:child_process';
import { FerryError, FileRejectedError } from '../errors';
import { DEFAULT_FILE_LIMITS, type FileLimits } from '../files/file-limits';
import { projectPath } from '../project-root';
import type { ImportOptions } from './import-options';
import type { RawRecord } from '../files/read-records';
import type { OpenedUpload } from './open-file';

export interface ChildInput {
  upload: { path: string; fileName: string; options: ImportOptions };
  limits: FileLimits;
}

type Record_ = RawRecord | { header: string[] };

export type ChildMessage =
  | { type: 'scan'; scan: OpenedUpload['scan'] }
  | { type: 'batch'; records: Record_[]; done: boolean }
  | {
      type: 'error';
      error: { name: string; message: string; code?: string; status?: number; details?: Record<string, unknown> };
    };

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
export async function openFileInChild(
  upload: ChildInput['upload'],
  limits: FileLimits = DEFAULT_FILE_LIMITS,
): Promise<OpenedUpload> {
  const entry = childEntry();
  // A child process, not a worker thread: V8's --max-old-space-size, which the api runs with, is
  // process-wide and would override a thread's resourceLimits.
  const worker = fork(entry.file, [JSON.stringify({ upload, limits } satisfies ChildInput)], {
    execArgv: [...entry.loader, `--max-old-space-size=${limits.parserHeapMb}`],
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
  });
  const inbox = new Inbox(worker, upload.fileName, limits.parserHeapMb);
  let first: ChildMessage;
  try {
    first = await inbox.next();
  } catch (err) {
    worker.kill();
    throw err;
  }
  if (first.type !== 'scan') {
    worker.kill();
    throw new Error(`the parsing process answered ${first.type} before the file's scan`);
  }
  const records = (async function* () {
    try {
      worker.send('next');
      for (;;) {
        const m = await inbox.next();
        if (m.type !== 'batch') throw new Error(`the parsing process answered ${m.type} for a batch`);
        // The next batch is parsed while this one is staged: the api holds at most two.
        if (!m.done) worker.send('next');
        yield* m.records;
        if (m.done) return;
      }
    } finally {
      worker.kill();
    }
  })();
  // A generator closed before its first next() never runs its finally: closing the stream must end the reader whatever its state.
  const close = records.return.bind(records);
  records.return = (value) => {
    worker.kill();
    return close(value);
  };
  return { scan: first.scan, records };
}

/** The child's messages one at a time; an error it reports, or its death, as the error to throw. */
class Inbox {
  private readonly queue: ChildMessage[] = [];
  private waiting: { resolve: (m: ChildMessage) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;

  constructor(worker: ChildProcess, fileName: string, heapMb: number) {
    worker.on('message', (m: ChildMessage) => (m.type === 'error' ? this.fail(rebuilt(m.error)) : this.deliver(m)));
    worker.on('error', (err: Error) => this.fail(err));
    // Gone before the last batch was taken: out of memory, or killed from outside. 'close', not
    // 'exit': a child may exit before its last messages are delivered.
    worker.on('close', () => this.fail(tooComplex(fileName, heapMb)));
  }

  next(): Promise<ChildMessage> {
    const m = this.queue.shift();
    if (m) return Promise.resolve(m);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  private deliver(m: ChildMessage): void {
    if (this.waiting) this.waiting.resolve(m);
    else this.queue.push(m);
    this.waiting = null;
  }

  private fail(err: Error): void {
    this.failure ??= err;
    this.waiting?.reject(this.failure);
    this.waiting = null;
  }
}

function tooComplex(fileName: string, heapMb: number): FileRejectedError {
  return new FileRejectedError(
    'FILE_TOO_COMPLEX',
    `${fileName}: reading the file needs more than the ${heapMb} MB a parser may use (PARSER_HEAP_MB); nothing was imported: split the file or simplify it`,
    413,
    { parserHeapMb: heapMb },
  );
}

function rebuilt(e: Extract<ChildMessage, { type: 'error' }>['error']): Error {
  if (e.name === 'FileRejectedError') return new FileRejectedError(e.code!, e.message, e.status, e.details);
  if (e.code !== undefined) return new FerryError(e.code, e.message, e.status, e.details);
  return new Error(e.message);
}
