import type { ChildProcess } from 'node:child_process';
import { FerryError, FileRejectedError } from '../errors';
import type { ChildMessage } from './read-in-child';

/** The parse process's messages one at a time; an error it reports, or its death, as the error to throw. */
export class Inbox {
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

  /** The next message, which must be of `type`. */
  async take<T extends ChildMessage['type']>(type: T): Promise<Extract<ChildMessage, { type: T }>> {
    const m = await this.next();
    if (m.type !== type) throw new Error(`the parsing process answered ${m.type} where ${type} was due`);
    return m as Extract<ChildMessage, { type: T }>;
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
