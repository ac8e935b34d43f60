import { FOLLOW_UP_COLUMNS } from '../db/queries/import-fixes';
import { findMapping } from '../db/queries/mappings';
import type { Queryable } from '../db/queryable';
import { mapFileHeader, mappingSchema } from '../sources/mapped/mapping';
import { FerryError, FileRejectedError } from '../errors';
import { sourceModule } from '../sources';
import { DEFAULT_FILE_LIMITS, type FileLimits } from '../files/file-limits';
import type { ImportOptions } from './import-options';
import type { OpenedUpload, RecordStream } from './open-file';
import { openFileInChild } from './read-in-child';

export type { OpenedUpload, RecordStream } from './open-file';

/**
 * The file as a stream of header and records, whatever its format: CSV (encoding and delimiter
 * declared in the options, or detected) or .xlsx; for a source that reads through a mapping, seen
 * through the saved mapping the upload names. Everything after this point is the same for every format.
 */
export async function openUpload(
  db: Queryable,
  upload: { path: string; fileName: string; options: ImportOptions },
  source: string,
  limits: FileLimits = DEFAULT_FILE_LIMITS,
): Promise<OpenedUpload> {
  const opened = await openFileInChild(upload, limits);
  // A follow-up of a mapped import holds the error report's columns: the file's own, read through the mapping again.
  if (!sourceModule(source).readsThroughMapping) return opened;
  const carried = upload.options.parentImportId ? FOLLOW_UP_COLUMNS : [];
  try {
    return {
      scan: opened.scan,
      records: await throughMapping(db, opened.records, upload.fileName, upload.options.mappingId, carried),
    };
  } catch (err) {
    // Closing the started stream stops the reading process: a refused mapping leaves none behind.
    await opened.records.return(undefined);
    throw err;
  }
}

/** `carried`: columns of the file that pass through beside the mapped fields (a follow-up's `row_number`), not part of the record as uploaded. */
async function throughMapping(
  db: Queryable,
  records: RecordStream,
  fileName: string,
  mappingId: number | undefined,
  carried: readonly string[],
): Promise<RecordStream> {
  // The header first: the stream is then started, so closing it on any refusal below ends its reader.
  const first = await records.next();
  if (mappingId === undefined)
    throw new FerryError(
      'MAPPING_REQUIRED',
      'source "mapped" needs the option mappingId (a mapping saved with POST /api/mappings)',
      400,
    );
  const saved = await findMapping(db, mappingId);
  if (!saved) throw new FerryError('UNKNOWN_MAPPING', `mapping ${mappingId} does not exist`, 400);
  const mapping = mappingSchema.parse({ name: saved.name, fields: saved.fields });
  if (first.done || !('header' in first.value))
    throw new FileRejectedError('NO_HEADER', `${fileName}: the file has no header row`);
  const uploaded = first.value.header;
  const carriedAt = uploaded.flatMap((h, i) => (carried.includes(h) ? [i] : []));
  const ownAt = uploaded.flatMap((h, i) => (carried.includes(h) ? [] : [i]));
  const fileHeader = ownAt.map((i) => uploaded[i]);
  const mapped = mapFileHeader(fileHeader, mapping);
  if (mapped.missing.length > 0) {
    throw new FileRejectedError(
      'MAPPING_COLUMNS_MISSING',
      `${fileName}: mapping "${mapping.name}" reads columns the file does not have: ${mapped.missing.join(', ')}`,
      422,
      { missing: mapped.missing },
    );
  }
  return (async function* () {
    // The record as uploaded rides along, for the error report in the file's own format.
    yield { header: [...mapped.header, ...carriedAt.map((i) => uploaded[i])], fileHeader };
    for await (const r of records) {
      if ('header' in r) continue;
      const own = ownAt.map((i) => r.fields[i] ?? '');
      yield { ...r, fields: [...mapped.project(own), ...carriedAt.map((i) => r.fields[i] ?? ''), ...own] };
    }
  })();
}
