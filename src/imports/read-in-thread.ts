import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { FerryError, FileRejectedError } from '../errors';
import { DEFAULT_FILE_LIMITS, type FileLimits } from '../files/file-limits';
import { projectPath } from '../project-root';
import type { ImportOptions } from './import-options';
import type { RawRecord } from '../files/read-records';
import type { OpenedUpload } from './open-file';

export interface ThreadInput {
  upload: { path: string; fileName: string; options: ImportOptions };
  limits: FileLimits;
}

type Record_ = RawRecord | { header: string[] };

export type ThreadMessage =
  | { type: 'scan'; scan: OpenedUpload['scan'] }
  | { type: 'batch'; records: Record_[]; done: boolean }
  | { type: 'error'; error: { name: string; message: string; code?: string; status?: number; details?: Record<string, unknown> } };

/**
 * The bundle beside dist/api.js when running built (the bundle's import.meta.url is the one file the
 * api was built into); under tsx or vitest the source, through tsx's loader, which a thread does not inherit.
 */
function threadEntry(): { code: string | URL; eval: boolean } {
  if (!import.meta.url.endsWith('.ts')) return { code: pathToFileURL(projectPath('dist/parse-thread.js')), eval: false };
  const source = pathToFileURL(projectPath('src/imports/parse-thread.ts')).href;
  return { code: `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(source)}); })`, eval: true };
}

/**
 * openFile (src/imports/open-file.ts) in a worker thread with a heap of its own: a file that
 * exhausts it kills the thread, not the api, and is refused as FILE_TOO_COMPLEX. Records come over
 * in batches, the next asked for only once the last is consumed, so a slow COPY holds the thread back.
 */
export async function openFileInThread(upload: ThreadInput['upload'], limits: FileLimits = DEFAULT_FILE_LIMITS): Promise<OpenedUpload> {
  const entry = threadEntry();
  const worker = new Worker(entry.code, { eval: entry.eval, workerData: { upload, limits } satisfies ThreadInput, resourceLimits: { maxOldGenerationSizeMb: limits.parserHeapMb }, stdout: false, stderr: false });
  const inbox = new Inbox(worker, upload.fileName, limits.parserHeapMb);
  let first: ThreadMessage;
  try {
    first = await inbox.next();
  } catch (err) {
    await worker.terminate();
    throw err;
  }
  if (first.type !== 'scan') {
    await worker.terminate();
    throw new Error(`the parse thread answered ${first.type} before the file's scan`);
  }
  return {
    scan: first.scan,
    records: (async function* () {
      try {
        for (;;) {
          worker.postMessage('next');
          const m = await inbox.next();
          if (m.type !== 'batch') throw new Error(`the parse thread answered ${m.type} for a batch`);
          yield* m.records;
          if (m.done) return;
        }
      } finally {
        await worker.terminate();
      }
    })(),
  };
}

/** The thread's messages one at a time; an error it reports, or its death, as the error to throw. */
class Inbox {
  private readonly queue: ThreadMessage[] = [];
  private waiting: { resolve: (m: ThreadMessage) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;

  constructor(worker: Worker, fileName: string, heapMb: number) {
    worker.on('message', (m: ThreadMessage) => (m.type === 'error' ? this.fail(rebuilt(m.error)) : this.deliver(m)));
    worker.on('error', (err: Error & { code?: string }) => this.fail(err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? tooComplex(fileName, heapMb) : err));
    // Exit before the last batch was asked for: killed from outside, or out of memory without an error event.
    worker.on('exit', () => this.fail(tooComplex(fileName, heapMb)));
  }

  next(): Promise<ThreadMessage> {
    const m = this.queue.shift();
    if (m) return Promise.resolve(m);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  private deliver(m: ThreadMessage): void {
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
  return new FileRejectedError('FILE_TOO_COMPLEX', `${fileName}: reading the file needs more than the ${heapMb} MB a parser may use (PARSER_HEAP_MB); nothing was imported: split the file or simplify it`, 413, { parserHeapMb: heapMb });
}

function rebuilt(e: Extract<ThreadMessage, { type: 'error' }>['error']): Error {
  if (e.name === 'FileRejectedError') return new FileRejectedError(e.code!, e.message, e.status, e.details);
  if (e.code !== undefined) return new FerryError(e.code, e.message, e.status, e.details);
  return new Error(e.message);
}
