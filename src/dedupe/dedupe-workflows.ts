/** How the api starts the scan, merge and undo workflows (Temporal in production, the same in tests). */
export interface DedupeWorkflows {
  startScan(scanId: number, by: string): Promise<string>;
  startMerge(mergeId: number, by: string): Promise<string>;
  startMergeBatch(batchId: number, by: string): Promise<string>;
  startUnmerge(mergeId: number, by: string): Promise<string>;
}
