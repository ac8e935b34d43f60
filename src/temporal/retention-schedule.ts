import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';

export const RETENTION_SCHEDULE_ID = 'ferry-retention';

/**
 * Creates the daily retention schedule unless it exists: every worker calls this at start, the
 * first one creates it and the others find it. An existing schedule is left as an operator may
 * have paused or re-timed it. Runs are `ferry-retention-<time>`; no arguments travel: the worker's RETENTION_DAYS applies.
 */
export async function ensureRetentionSchedule(
  client: Client,
  opts: { taskQueue: string; scheduleId?: string },
): Promise<'created' | 'exists'> {
  const scheduleId = opts.scheduleId ?? RETENTION_SCHEDULE_ID;
  try {
    await client.schedule.create({
      scheduleId,
      // 03:30 in Bangkok, outside office hours.
      spec: { calendars: [{ hour: 20, minute: 30 }] },
      action: {
        type: 'startWorkflow',
        workflowType: 'retentionWorkflow',
        workflowId: 'ferry-retention',
        taskQueue: opts.taskQueue,
        args: [],
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
      memo: { what: 'purges staged and original records of imports finished more than RETENTION_DAYS ago' },
    });
    return 'created';
  } catch (err) {
    if (err instanceof ScheduleAlreadyRunning) return 'exists';
    throw err;
  }
}
