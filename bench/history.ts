import type { Client } from '@temporalio/client';

/** The visibility query for the runs of `workflowId` started since `since` (see historyEvents). */
export const runsSince = (workflowId: string, since: Date) =>
  `WorkflowId = "${workflowId}" AND StartTime >= "${since.toISOString()}"`;

/**
 * Events in the runs of `workflowId` started since `since`. Each size imports into a fresh database
 * on the same Temporal server, so `import-1` of an earlier size is another workflow under the same id.
 */
export async function historyEvents(client: Client, workflowId: string, since: Date) {
  // Visibility trails the history by a moment: ask until the import's runs are listed.
  for (let attempt = 0; ; attempt++) {
    let total = 0;
    let maxRun = 0;
    let runs = 0;
    for await (const wf of client.workflow.list({ query: runsSince(workflowId, since) })) {
      total += wf.historyLength;
      maxRun = Math.max(maxRun, wf.historyLength);
      runs += 1;
    }
    if (total > 0) return { total, maxRun, runs };
    if (attempt === 60) {
      // Visibility never caught up (a loaded machine): the last run's own count, from its description.
      const last = await client.workflow.getHandle(workflowId).describe();
      return { total: last.historyLength, maxRun: last.historyLength, runs: 1 };
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}
