import {
  CancellationScope,
  ContinueAsNew,
  continueAsNew,
  isCancellation,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { DedupeActivities } from '../activities/dedupe-activities';
import {
  bookkeeping,
  dedupeProgressQuery,
  failureCode,
  transactionStep,
  type DedupeProgress,
  type DedupeWorkflowInput,
} from './dedupe-definitions';
import { DEFAULT_SCAN_SETTINGS } from '../src/vocabulary';
import { ferryStatusKey } from './search-attributes';

const { prepareDedupeScan, collectDedupeRange, countDedupeTokens, matchDedupeRange, groupDedupePairs } =
  proxyActivities<DedupeActivities>(transactionStep);
const { abandonDedupeScan } = proxyActivities<DedupeActivities>(bookkeeping);

/**
 * A duplicate scan: every customer's keys collected range by range, then the pairs of each range
 * matched (so that every key exists before any pair is looked for), then one grouping step. History
 * stays bounded: the run continues as new every `maxRangesPerRun` ranges with its progress.
 * Cancelled or failed, the scan is marked failed and its working rows removed; the CRM's own tables
 * are only read.
 */
export async function dedupeWorkflow(input: DedupeWorkflowInput): Promise<DedupeProgress> {
  const settings = { ...DEFAULT_SCAN_SETTINGS, ...input.settings };
  const rangeSize = input.rangeSize ?? 20_000;
  let progress: DedupeProgress = input.resume ?? {
    scanId: input.scanId,
    phase: 'collecting',
    minId: 0,
    maxId: -1,
    nextId: 0,
    population: 0,
    customers: 0,
    pairs: 0,
  };
  setHandler(dedupeProgressQuery, () => progress);
  try {
    if (!input.resume) {
      upsertSearchAttributes([{ key: ferryStatusKey, value: 'running' }]);
      const bounds = await prepareDedupeScan({ scanId: input.scanId });
      progress = { ...progress, minId: bounds?.minId ?? 0, maxId: bounds?.maxId ?? -1, nextId: bounds?.minId ?? 0 };
    }
    let ranges = 0;
    while (progress.phase === 'collecting' || progress.phase === 'matching') {
      if (progress.nextId > progress.maxId) {
        progress = await nextPhase(progress);
        continue;
      }
      if (ranges >= (input.maxRangesPerRun ?? 200) || workflowInfo().continueAsNewSuggested) {
        await continueAsNew<typeof dedupeWorkflow>({ ...input, resume: progress });
      }
      const range = {
        scanId: input.scanId,
        fromId: progress.nextId,
        toId: Math.min(progress.maxId, progress.nextId + rangeSize - 1),
      };
      if (progress.phase === 'collecting') {
        const { customers } = await collectDedupeRange(range);
        progress = { ...progress, customers: progress.customers + customers, nextId: range.toId + 1 };
      } else {
        const { pairs } = await matchDedupeRange({ ...range, population: progress.population, settings });
        progress = { ...progress, pairs: progress.pairs + pairs, nextId: range.toId + 1 };
      }
      ranges++;
    }
    await groupDedupePairs({ scanId: input.scanId, settings });
    progress = { ...progress, phase: 'done' };
    upsertSearchAttributes([{ key: ferryStatusKey, value: 'completed' }]);
    return progress;
  } catch (err) {
    if (err instanceof ContinueAsNew) throw err;
    const code = isCancellation(err) ? 'CANCELLED' : failureCode(err, 'SCAN_FAILED');
    // Runs even when the workflow was cancelled: the scan must not stay `running`.
    await CancellationScope.nonCancellable(() =>
      abandonDedupeScan({
        scanId: input.scanId,
        code,
        message: isCancellation(err) ? 'the scan was cancelled' : 'the scan failed; see the workflow history',
      }),
    );
    upsertSearchAttributes([{ key: ferryStatusKey, value: 'failed' }]);
    throw err;
  }
}

async function nextPhase(progress: DedupeProgress): Promise<DedupeProgress> {
  if (progress.phase === 'collecting') {
    const { population } = await countDedupeTokens({ scanId: progress.scanId });
    return { ...progress, phase: 'matching', population, nextId: progress.minId };
  }
  return { ...progress, phase: 'grouping' };
}
