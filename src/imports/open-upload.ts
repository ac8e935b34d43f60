import { findMapping } from '../db/queries/mappings';
import type { Queryable } from '../db/queryable';
import { mapFileHeader, mappingSchema } from '../domain/sources/mapping';
import { FerryError, FileRejectedError } from '../errors';
import { detectDelimiter, readRecords, type RawRecord } from '../files/read-records';
import { inspectXlsx, readXlsxRecords } from '../files/read-xlsx';
import { scanFile } from '../files/scan';
import { sniffFileKind } from '../files/sniff';
import type { ImportOptions } from './import-options';

export type RecordStream = AsyncGenerator<RawRecord | { header: string[] }>;

export interface OpenedUpload {
  scan: { sha256: string; bytes: number; encoding: string };
  records: RecordStream;
}

/**
 * The file as a stream of header and records, whatever its format: CSV (encoding and delimiter
 * detected) or .xlsx; for the `mapped` source, seen through its saved mapping. Everything after
 * this point is the same for every format.
 */
export async function openUpload(db: Queryable, upload: { path: string; fileName: string; options: ImportOptions }, source: string): Promise<OpenedUpload> {
  const { path, fileName, options } = upload;
  let opened: OpenedUpload;
  if ((await sniffFileKind(path, fileName)) === 'xlsx') {
    const { sha256, bytes } = await inspectXlsx(path, fileName);
    opened = { scan: { sha256, bytes, encoding: 'xlsx' }, records: readXlsxRecords(path, fileName, options.sheet) };
  } else {
    const scan = await scanFile(path, fileName);
    opened = { scan, records: readRecords(path, fileName, scan.encoding, detectDelimiter(scan.firstLine)) };
  }
  if (source !== 'mapped') return opened;
  return { scan: opened.scan, records: await throughMapping(db, opened.records, fileName, options.mappingId) };
}

async function throughMapping(db: Queryable, records: RecordStream, fileName: string, mappingId: number | undefined): Promise<RecordStream> {
  if (mappingId === undefined) throw new FerryError('MAPPING_REQUIRED', 'source "mapped" needs the option mappingId (a mapping saved with POST /api/mappings)', 400);
  const saved = await findMapping(db, mappingId);
  if (!saved) throw new FerryError('UNKNOWN_MAPPING', `mapping ${mappingId} does not exist`, 400);
  const mapping = mappingSchema.parse({ name: saved.name, fields: saved.fields });
  const first = await records.next();
  if (first.done || !('header' in first.value)) throw new FileRejectedError('NO_HEADER', `${fileName}: the file has no header row`);
  const mapped = mapFileHeader(first.value.header, mapping);
  if (mapped.missing.length > 0) {
    throw new FileRejectedError('MAPPING_COLUMNS_MISSING', `${fileName}: mapping "${mapping.name}" reads columns the file does not have: ${mapped.missing.join(', ')}`, 422, { missing: mapped.missing });
  }
  return (async function* () {
    yield { header: mapped.header };
    for await (const r of records) if (!('header' in r)) yield { ...r, fields: mapped.project(r.fields) };
  })();
}
