/** Workflow ids say what they are, and carry only the import's id. */
export const importWorkflowId = (importId: number) => `import-${importId}`;
export const rollbackWorkflowId = (importId: number) => `rollback-${importId}`;
export const dedupeWorkflowId = (scanId: number) => `dedupe-${scanId}`;
export const mergeWorkflowId = (mergeId: number) => `merge-${mergeId}`;
export const unmergeWorkflowId = (mergeId: number) => `unmerge-${mergeId}`;
