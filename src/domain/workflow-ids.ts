/** Workflow ids say what they are, and carry only the import's id. */
export const importWorkflowId = (importId: number) => `import-${importId}`;
export const rollbackWorkflowId = (importId: number) => `rollback-${importId}`;
