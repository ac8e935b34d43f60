import type { ImportRecord } from '../db/queries/imports';
import type { ImportOptions } from './import-options';
import type { WorkflowControl } from './import-workflows';

/**
 * Starts `import-<id>` for a staged import, from its row. The real run of an approved dry run runs
 * with neither dry run nor approval; any other run with the options the upload gave.
 */
export function startRun(
  workflows: WorkflowControl,
  imp: ImportRecord,
  { approvedDryRun }: { approvedDryRun: boolean },
): Promise<string> {
  const options = {
    ...(imp.options as ImportOptions),
    ...(approvedDryRun ? { dryRun: false, requireApproval: false } : {}),
  };
  return workflows.start({
    id: imp.id,
    source: imp.source,
    fileName: imp.fileName,
    createdBy: imp.createdBy,
    options,
    recordedAt: imp.createdAt,
  });
}
