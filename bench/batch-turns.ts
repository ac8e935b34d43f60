import type { Client } from '@temporalio/client';
import { runsSince } from './history';

/** What a span is read from in a history event (protobuf's Longs print as their decimal value). */
type Id = { toString(): string } | number | null | undefined;
interface HistoryEvent {
  eventId?: Id;
  eventTime?: { seconds?: Id; nanos?: number | null } | null;
  activityTaskScheduledEventAttributes?: { activityType?: { name?: string | null } | null } | null;
  activityTaskCompletedEventAttributes?: { scheduledEventId?: Id; startedEventId?: Id } | null;
}

/** One importBatch attempt that completed: from its start to its completion, in ms since the epoch. */
export interface BatchSpan {
  started: number;
  completed: number;
}

/**
 * How the import phase splits between the batch activities and the turns between them, from the
 * histories of the import's runs started since `since` (see turnsOf).
 */
export async function batchTurns(client: Client, workflowId: string, since: Date) {
  const spans: BatchSpan[] = [];
  for await (const wf of client.workflow.list({ query: runsSince(workflowId, since) })) {
    const history = await client.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory();
    spans.push(...batchSpans(history.events ?? []));
  }
  return turnsOf(spans);
}

/**
 * `inBatchesSeconds` sums the batches from start to completion; `betweenBatchesSeconds` sums the
 * time from one batch's completion to the next one's start (the workflow's task, the activity's
 * dispatch, a continue-as-new): while it passes, the write lock waits on Temporal, not on a batch.
 */
export function turnsOf(spans: BatchSpan[]) {
  const inOrder = [...spans].sort((a, b) => a.started - b.started);
  let inBatches = 0;
  let betweenBatches = 0;
  inOrder.forEach((s, i) => {
    inBatches += s.completed - s.started;
    if (i > 0) betweenBatches += Math.max(0, s.started - inOrder[i - 1].completed);
  });
  return { batches: inOrder.length, inBatchesSeconds: inBatches / 1000, betweenBatchesSeconds: betweenBatches / 1000 };
}

/** The importBatch spans of one run's history; the started event of a completed attempt names its start. */
export function batchSpans(events: HistoryEvent[]): BatchSpan[] {
  const byId = new Map(events.map((e) => [String(e.eventId), e]));
  const spans: BatchSpan[] = [];
  for (const e of events) {
    const done = e.activityTaskCompletedEventAttributes;
    if (!done) continue;
    const scheduled = byId.get(String(done.scheduledEventId));
    if (scheduled?.activityTaskScheduledEventAttributes?.activityType?.name !== 'importBatch') continue;
    spans.push({ started: msOf(byId.get(String(done.startedEventId))), completed: msOf(e) });
  }
  return spans;
}

const msOf = (e: HistoryEvent | undefined) =>
  Number(e?.eventTime?.seconds ?? 0) * 1000 + Math.floor((e?.eventTime?.nanos ?? 0) / 1e6);
