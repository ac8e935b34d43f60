import type { Queryable } from '../db/queryable';
import { findImport, type ImportRecord } from '../db/queries/imports';
import { findSource, type SourceDefinition } from '../sources';
import { NotFoundError } from '../errors';

/** The import and its source definition, or a typed not-found. */
export async function loadImport(
  db: Queryable,
  importId: number,
): Promise<{ imp: ImportRecord; source: SourceDefinition<unknown> }> {
  const imp = await findImport(db, importId);
  if (!imp) throw new NotFoundError(`import ${importId}`);
  const source = findSource(imp.source);
  if (!source) throw new NotFoundError(`source ${imp.source}`);
  return { imp, source };
}
