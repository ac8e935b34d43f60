import { mapFileHeader, type Mapping } from '../sources/mapped/mapping';

/** A file seen through a mapping: what the api checks and stages, and what the parse process applies to each record. */
export interface MappedProjection {
  /** The header every later step sees: the mapping's columns, then the carried ones. */
  header: string[];
  /** The file's own header, whose fields follow the projected ones in each record. */
  fileHeader: string[];
  /** Columns the mapping names that the file lacks. */
  missing: string[];
  /** A record's fields under `header`, then the record as uploaded, for the error report in the file's own format. */
  project(fields: string[]): string[];
}

/**
 * `carried`: columns of the file that pass through beside the mapped fields (a follow-up's
 * `row_number`), not part of the record as uploaded. Pure, so the api and the parse process agree.
 */
export function projectThroughMapping(
  uploaded: string[],
  mapping: Mapping,
  carried: readonly string[],
): MappedProjection {
  const carriedAt = uploaded.flatMap((h, i) => (carried.includes(h) ? [i] : []));
  const ownAt = uploaded.flatMap((h, i) => (carried.includes(h) ? [] : [i]));
  const fileHeader = ownAt.map((i) => uploaded[i]);
  const mapped = mapFileHeader(fileHeader, mapping);
  return {
    header: [...mapped.header, ...carriedAt.map((i) => uploaded[i])],
    fileHeader,
    missing: mapped.missing,
    project(fields) {
      const own = ownAt.map((i) => fields[i] ?? '');
      return [...mapped.project(own), ...carriedAt.map((i) => fields[i] ?? ''), ...own];
    },
  };
}
