import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream } from 'node:stream/web';
import { parse } from 'csv-parse';

export interface ReportDownload {
  seconds: number;
  megabytes: number;
  /** CSV only: records after the header, which must equal the import's rejected count. */
  rows?: number;
}

/**
 * Downloads an import's error reports as a client would, one after the other, reading each to the
 * end without keeping it: what the api's memory and time are for the largest thing it serves.
 */
export async function downloadErrorReports(
  baseUrl: string,
  token: string,
  importId: number,
): Promise<{ csv: ReportDownload; xlsx: ReportDownload }> {
  const csv = await download(`${baseUrl}/api/imports/${importId}/errors.csv`, token, true);
  const xlsx = await download(`${baseUrl}/api/imports/${importId}/errors.xlsx`, token, false);
  return { csv, xlsx };
}

async function download(url: string, token: string, countCsvRows: boolean): Promise<ReportDownload> {
  const started = performance.now();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200 || !res.body) throw new Error(`${url} answered ${res.status}`);
  let bytes = 0;
  let records = 0;
  const body = Readable.fromWeb(res.body as ReadableStream<Uint8Array>).on(
    'data',
    (chunk: Buffer) => (bytes += chunk.length),
  );
  if (countCsvRows)
    await pipeline(
      body,
      parse({ bom: true }),
      new Writable({ objectMode: true, write: (_record, _enc, done) => (records++, done()) }),
    );
  else await pipeline(body, new Writable({ write: (_chunk, _enc, done) => done() }));
  const seconds = (performance.now() - started) / 1000;
  return { seconds, megabytes: Math.round(bytes / 1e5) / 10, ...(countCsvRows ? { rows: records - 1 } : {}) };
}
