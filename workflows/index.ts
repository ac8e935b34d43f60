export { importWorkflow } from './import-workflow';
export { rollbackWorkflow } from './rollback-workflow';
export { progressQuery } from './definitions';
export { retentionWorkflow } from './retention-workflow';
export { dedupeWorkflow } from './dedupe-workflow';
export { mergeWorkflow } from './merge-workflow';
export { unmergeWorkflow } from './unmerge-workflow';
export { mergeBatchWorkflow } from './merge-batch-workflow';
