import { createWriteStream, openAsBlob } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { ImportCounts, ImportStatus } from '../vocabulary';

/** The api answered with an error: `{ error: { code, message, details } }` and its HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly route: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Nothing answered at the url (refused, DNS, TLS): the cause says which. */
export class ApiUnreachableError extends Error {
  readonly code = 'UNREACHABLE';
  constructor(
    readonly url: string,
    options: { cause: unknown },
  ) {
    super(`cannot reach the Ferry api at ${url}`, options);
    this.name = 'ApiUnreachableError';
  }
}

/** What GET /api/imports/:id answers (the fields the CLI reads; the rest passes through for --json). */
export interface ImportView {
  id: number;
  source: string;
  status: ImportStatus;
  phase: string;
  fileName: string;
  createdBy: string;
  createdAt: string;
  finishedAt: string | null;
  workflowId: string | null;
  progress: { rowsProcessed: number; total: number; percent: number };
  counts: ImportCounts;
  verification: { ok?: boolean } | null;
  failure: { code: string; message: string } | null;
}

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

export interface ErrorItem {
  rowNumber: number;
  lineNumber: number;
  record: Record<string, string>;
  errors: { field: string; code: string; message: string }[];
}

export interface SourceView {
  name: string;
  label?: string;
  description?: string;
  columns: { name: string; required?: boolean }[];
}

export interface UploadAnswer {
  id: number;
  status: ImportStatus;
  workflowId: string;
  total: number;
}

export interface UploadInput {
  file: string;
  source: string;
  dryRun: boolean;
  requireApproval: boolean;
  /** CSV only; unset: the api detects them. */
  encoding?: string;
  delimiter?: string;
  /** Unset: the saved mapping's, else the api's DEFAULT_REGION (and the region's scheme). */
  region?: string;
  nationalIdScheme?: string;
  dateOrder?: string;
}

export interface ScanView {
  id: number;
  status: 'running' | 'completed' | 'failed';
  counts: { customers: number; pairs: number; groups: number };
  failure: { code: string; message: string } | null;
}

export interface GroupView {
  id: number;
  score: number;
  reasons: { field: string; agreement: string; weight: number }[];
  customers: {
    id: number;
    firstName: string;
    lastName: string;
    phones: string[];
    emails: string[];
    sources: string[];
  }[];
}

export type ApiClient = ReturnType<typeof createApiClient>;

/** The Ferry api over fetch; every method throws ApiError or ApiUnreachableError. */
export function createApiClient(opts: { url: string; token: string }) {
  async function send(
    method: string,
    path: string,
    body?: FormData | string,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const route = `${method} ${path}`;
    let res: Response;
    try {
      res = await fetch(`${opts.url}${path}`, {
        method,
        body,
        headers: { ...headers, authorization: `Bearer ${opts.token}` },
      });
    } catch (err) {
      throw new ApiUnreachableError(opts.url, { cause: err });
    }
    if (!res.ok) throw await toApiError(res, route);
    return res;
  }
  const json = async <T>(method: string, path: string, body?: FormData, headers?: Record<string, string>): Promise<T> =>
    (await send(method, path, body, headers)).json() as Promise<T>;
  const postJson = async <T>(path: string, body: unknown): Promise<T> =>
    (await send('POST', path, JSON.stringify(body), { 'content-type': 'application/json' })).json() as Promise<T>;
  const query = (q: Record<string, string | number | undefined>) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) if (v !== undefined) params.set(k, String(v));
    return params.toString();
  };
  const download = async (path: string, file: string) => {
    const res = await send('GET', path);
    if (!res.body) throw new ApiError(res.status, 'EMPTY_BODY', 'the api answered without a body', `GET ${path}`);
    await pipeline(Readable.fromWeb(res.body as WebReadableStream), createWriteStream(file));
  };

  return {
    /** With an idempotency key, a repeat of this upload (after a lost answer) answers with the same import. */
    async upload(input: UploadInput, idempotencyKey?: string): Promise<UploadAnswer> {
      const form = new FormData();
      form.set('source', input.source);
      if (input.dryRun) form.set('dryRun', 'true');
      if (input.requireApproval) form.set('requireApproval', 'true');
      if (input.encoding) form.set('encoding', input.encoding);
      if (input.delimiter) form.set('delimiter', input.delimiter);
      for (const key of ['region', 'nationalIdScheme', 'dateOrder'] as const) if (input[key]) form.set(key, input[key]);
      // A file-backed Blob: the upload streams from disk instead of reading the file into memory.
      form.set('file', await openAsBlob(input.file), basename(input.file));
      return json('POST', '/api/imports', form, idempotencyKey ? { 'idempotency-key': idempotencyKey } : {});
    },
    getImport: (id: number) => json<ImportView>('GET', `/api/imports/${id}`),
    listImports: (q: { status?: string; source?: string; page: number; pageSize: number }) =>
      json<Page<ImportView>>(
        'GET',
        `/api/imports?${query({ status: q.status, source: q.source, page: q.page, pageSize: q.pageSize })}`,
      ),
    listErrors: (id: number, page: number, pageSize: number) =>
      json<Page<ErrorItem>>('GET', `/api/imports/${id}/errors?${query({ page, pageSize })}`),
    downloadErrorReport: (id: number, file: string) => download(`/api/imports/${id}/errors.csv`, file),
    act: (id: number, action: 'approve' | 'reject' | 'cancel') =>
      json<Record<string, unknown>>('POST', `/api/imports/${id}/${action}`),
    rollback: (id: number, force: boolean) =>
      json<Record<string, unknown>>('POST', `/api/imports/${id}/rollback${force ? '?force=true' : ''}`),
    rollbackPreview: (id: number, force: boolean) =>
      json<Record<string, unknown>>('GET', `/api/imports/${id}/rollback-preview${force ? '?force=true' : ''}`),
    sources: () => json<{ items: SourceView[] }>('GET', '/api/sources'),
    template: async (source: string) =>
      (await send('GET', `/api/sources/${encodeURIComponent(source)}/template.csv`)).text(),
    downloadTemplate: (source: string, file: string) =>
      download(`/api/sources/${encodeURIComponent(source)}/template.csv`, file),
    startScan: () => postJson<{ id: number; status: string; workflowId: string }>('/api/dedupe', {}),
    getScan: (id: number) => json<ScanView>('GET', `/api/dedupe/${id}`),
    groups: (id: number, page: number, pageSize: number) =>
      json<Page<GroupView>>('GET', `/api/dedupe/${id}/groups?${query({ page, pageSize })}`),
    merge: (groupId: number) => postJson<Record<string, unknown>>('/api/merges', { groupId }),
    mergeAll: (scanId: number, minScore: number) =>
      postJson<Record<string, unknown>>('/api/merges', { scanId, minScore }),
    unmerge: (id: number) => json<Record<string, unknown>>('POST', `/api/merges/${id}/undo`),
    undoPreview: (id: number) => json<Record<string, unknown>>('GET', `/api/merges/${id}/undo-preview`),
  };
}

async function toApiError(res: Response, route: string): Promise<ApiError> {
  const text = await res.text().catch(() => '');
  try {
    const { error } = JSON.parse(text) as { error?: { code?: string; message?: string; details?: unknown } };
    if (error?.message) return new ApiError(res.status, error.code ?? 'UNKNOWN', error.message, route, error.details);
  } catch {
    // Not Ferry's JSON (a proxy's HTML page, say): fall through to the status line.
  }
  return new ApiError(
    res.status,
    `HTTP_${res.status}`,
    `${res.status} ${res.statusText}${text ? `: ${text.slice(0, 200)}` : ''}`,
    route,
  );
}
