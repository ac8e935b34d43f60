export { importWorkflow } from './import-workflow';
export { rollbackWorkflow } from './rollback-workflow';
export { progressQuery } from './definitions';
export { retentionWorkflow } from './retention-workflow';
