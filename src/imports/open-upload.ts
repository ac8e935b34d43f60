import type { StagedCopyData } from '../db/staged-row-text';
import { FOLLOW_UP_COLUMNS } from '../db/queries/import-fixes';
import { findMapping } from '../db/queries/mappings';
import type { Queryable } from '../db/queryable';
import { mappingSchema } from '../sources/mapped/mapping';
import { FerryError, FileRejectedError } from '../errors';
import { sourceModule } from '../sources';
import { DEFAULT_FILE_LIMITS, type FileLimits } from '../files/file-limits';
import type { ImportOptions } from './import-options';
import { projectThroughMapping } from './mapped-projection';
import type { OpenedUpload } from './open-file';
import { readFileInChild, type ChildReader, type StagingLayout } from './read-in-child';

/** `fileHeader`: the file's own header, when `header` is a projection of it and records carry the file's fields after the projected ones. */
export interface UploadHeader {
  header: string[];
  fileHeader?: string[];
}

/** An upload being read, to be staged. */
export interface UploadToStage {
  scan: OpenedUpload['scan'];
  /** The header every later step sees; null for a file without one. */
  header(): Promise<UploadHeader | null>;
  /** The records of import `importId` as staged rows' COPY data, fields (after any projection) under `columns`. */
  staged(importId: number, columns: (string | null)[]): AsyncGenerator<StagedCopyData>;
  /** Ends the file's reader, whatever its state. */
  close(): void;
}

/**
 * The file as a header and a stream of staged rows, whatever its format: CSV (encoding and delimiter
 * declared in the options, or detected) or .xlsx; for a source that reads through a mapping, seen
 * through the saved mapping the upload names. Everything after this point is the same for every format.
 */
export async function openUpload(
  db: Queryable,
  upload: { path: string; fileName: string; options: ImportOptions },
  source: string,
  limits: FileLimits = DEFAULT_FILE_LIMITS,
): Promise<UploadToStage> {
  const reader = await readFileInChild(upload, limits);
  const staged = (mapping: StagingLayout['mapping']) => (importId: number, columns: (string | null)[]) =>
    reader.staged({ importId, columns, mapping });
  if (!sourceModule(source).readsThroughMapping) {
    const header = async () => {
      const cells = await reader.header();
      return cells && { header: cells };
    };
    return { scan: reader.scan, header, staged: staged(undefined), close: reader.close };
  }
  // A follow-up of a mapped import holds the error report's columns: the file's own, read through the mapping again.
  const carried = upload.options.parentImportId ? FOLLOW_UP_COLUMNS : [];
  try {
    const { header, mapping } = await throughMapping(db, reader, upload.fileName, upload.options.mappingId, carried);
    return { scan: reader.scan, header: () => Promise.resolve(header), staged: staged(mapping), close: reader.close };
  } catch (err) {
    // A refused mapping leaves no reading process behind.
    reader.close();
    throw err;
  }
}

/** `carried`: columns of the file that pass through beside the mapped fields (a follow-up's `row_number`), not part of the record as uploaded. */
async function throughMapping(
  db: Queryable,
  reader: ChildReader,
  fileName: string,
  mappingId: number | undefined,
  carried: readonly string[],
): Promise<{ header: UploadHeader; mapping: NonNullable<StagingLayout['mapping']> }> {
  const uploaded = await reader.header();
  if (mappingId === undefined)
    throw new FerryError(
      'MAPPING_REQUIRED',
      'source "mapped" needs the option mappingId (a mapping saved with POST /api/mappings)',
      400,
    );
  const saved = await findMapping(db, mappingId);
  if (!saved) throw new FerryError('UNKNOWN_MAPPING', `mapping ${mappingId} does not exist`, 400);
  const mapping = mappingSchema.parse({ name: saved.name, fields: saved.fields });
  if (uploaded === null) throw new FileRejectedError('NO_HEADER', `${fileName}: the file has no header row`);
  const projected = projectThroughMapping(uploaded, mapping, carried);
  if (projected.missing.length > 0) {
    throw new FileRejectedError(
      'MAPPING_COLUMNS_MISSING',
      `${fileName}: mapping "${mapping.name}" reads columns the file does not have: ${projected.missing.join(', ')}`,
      422,
      { missing: projected.missing },
    );
  }
  // The record as uploaded rides along, for the error report in the file's own format.
  return { header: { header: projected.header, fileHeader: projected.fileHeader }, mapping: { mapping, carried } };
}
