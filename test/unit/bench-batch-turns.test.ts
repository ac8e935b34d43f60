import { describe, expect, it } from 'vitest';
import { batchSpans, turnsOf } from '../../bench/batch-turns';

const at = (ms: number) => ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 });
const scheduled = (eventId: number, name: string) => ({
  eventId,
  activityTaskScheduledEventAttributes: { activityType: { name } },
});
const started = (eventId: number, ms: number) => ({ eventId, eventTime: at(ms) });
const completed = (eventId: number, ms: number, scheduledEventId: number, startedEventId: number) => ({
  eventId,
  eventTime: at(ms),
  activityTaskCompletedEventAttributes: { scheduledEventId, startedEventId },
});

describe("the bench's batch turns", () => {
  it('reads the spans of completed importBatch attempts only', () => {
    const events = [
      scheduled(5, 'importBatch'),
      started(6, 1_000),
      completed(7, 1_750, 5, 6),
      scheduled(8, 'checkCommittedRange'),
      started(9, 1_800),
      completed(10, 1_900, 8, 9),
      scheduled(11, 'importBatch'),
      started(12, 1_800),
    ];
    expect(batchSpans(events)).toEqual([{ started: 1_000, completed: 1_750 }]);
  });

  it('sums the batches and the gaps between one and the next, across runs in any order', () => {
    expect(
      turnsOf([
        { started: 3_000, completed: 3_500 },
        { started: 1_000, completed: 2_000 },
        { started: 2_100, completed: 2_900 },
      ]),
    ).toEqual({ batches: 3, inBatchesSeconds: 2.3, betweenBatchesSeconds: 0.2 });
  });
});
