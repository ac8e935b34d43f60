import { findImport } from '../db/queries/imports';
import type { Queryable } from '../db/queryable';
import { ConflictError } from '../errors';
import type { ImportRef } from '../vocabulary';

/**
 * Refuses an activity whose workflow was started for another recording of this import id: a second
 * database on the same Temporal namespace, or this one restored from a backup older than the import.
 * Acting on it would load or roll back rows of an import that is not the workflow's. A workflow
 * started before `recordedAt` existed carries none and is not checked.
 */
export async function assertOwnImport(db: Queryable, ref: ImportRef): Promise<void> {
  if (ref.recordedAt === undefined) return;
  const here = (await findImport(db, ref.importId))?.createdAt;
  if (here?.toISOString() === ref.recordedAt) return;
  const held = here
    ? `import ${ref.importId} here was recorded ${here.toISOString()}`
    : `this database holds no import ${ref.importId} (never recorded here, or purged)`;
  throw new ConflictError(
    'FOREIGN_WORKFLOW',
    `this workflow was started for import ${ref.importId} recorded ${ref.recordedAt}, but ${held}: it is not this database's import (another database shares the Temporal namespace, or this one was restored from a backup), so it does nothing here`,
  );
}
