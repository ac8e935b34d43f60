import type pg from 'pg';
import { inTransaction } from '../db/queryable';
import {
  addScanCounts,
  customerIdBounds,
  dropScanPairs,
  findScan,
  finishScan,
  readMatchedPairs,
  saveGroups,
} from '../db/queries/dedupe';
import {
  collectPeople,
  findCandidatePairs,
  readPairFeatures,
  saveScoredPairs,
  type IdRange,
} from '../db/queries/dedupe-matching';
import {
  allowScanSortMemory,
  analyzeWorkingTables,
  collectSharedKeys,
  countBlocks,
  countPeople,
  countTokens,
  dropWorkingRows,
} from '../db/queries/dedupe-blocks';
import { birthDateBlockBounds, KEYED_BLOCK_MIN_NAME_SIMILARITY } from '../domain/dedupe/candidate-bounds';
import { connectedGroups } from '../domain/dedupe/connected-groups';
import { isMatch, scorePair } from '../domain/dedupe/pair-score';
import type { ScanSettings } from '../vocabulary';
import { NotFoundError } from '../errors';

/** The customer ids the scan walks, range by range; null when the CRM has no customers. */
export async function prepareScan(pool: pg.Pool, scanId: number): Promise<{ minId: number; maxId: number } | null> {
  const scan = await findScan(pool, scanId);
  if (!scan) throw new NotFoundError(`dedupe scan ${scanId}`);
  return customerIdBounds(pool);
}

/** The range's customers and their normalised names into the scan's working tables. */
export async function collectRange(pool: pg.Pool, scanId: number, range: IdRange): Promise<{ customers: number }> {
  return inTransaction(pool, async (db) => {
    const scan = await findScan(db, scanId);
    if (!scan) throw new NotFoundError(`dedupe scan ${scanId}`);
    const customers = await collectPeople(db, scanId, range, scan.scope);
    await addScanCounts(db, scanId, { customers });
    return { customers };
  });
}

/**
 * Once every range is collected: name tokens counted, the keys customers share collected (a birth
 * date only with a rare token), and each block's size counted, so that no range counts it again.
 */
export async function countNameTokens(pool: pg.Pool, scanId: number): Promise<{ population: number; tokens: number }> {
  const counted = await inTransaction(pool, async (db) => {
    await allowScanSortMemory(db);
    const population = await countPeople(db, scanId);
    const tokens = await countTokens(db, scanId);
    await analyzeWorkingTables(db);
    await collectSharedKeys(db, scanId, birthDateBlockBounds(population).maxTokenCarriers);
    await countBlocks(db, scanId);
    return { population, tokens };
  });
  await analyzeWorkingTables(pool);
  return counted;
}

/** Candidate pairs of the range found, scored, and the matching ones kept; one transaction, so a retry redoes it whole. */
export async function matchRange(
  pool: pg.Pool,
  scanId: number,
  range: IdRange,
  population: number,
  settings: ScanSettings,
): Promise<{ candidates: number; pairs: number }> {
  return inTransaction(pool, async (db) => {
    await findCandidatePairs(db, scanId, range, {
      maxBlock: settings.maxBlock,
      keyedNameSimilarity: KEYED_BLOCK_MIN_NAME_SIMILARITY,
      birthDateNameSimilarity: Math.max(settings.minNameSimilarity, birthDateBlockBounds(population).minNameSimilarity),
    });
    const candidates = await readPairFeatures(db, scanId, range);
    const matches = candidates
      .map((c) => ({ leftId: c.leftId, rightId: c.rightId, ...scorePair({ population, ...c.features }) }))
      .filter((s) => isMatch(s));
    await saveScoredPairs(db, scanId, range, matches);
    await addScanCounts(db, scanId, { pairs: matches.length });
    return { candidates: candidates.length, pairs: matches.length };
  });
}

/** Groups from the matching pairs; the working tables go, and the scan is completed. */
export async function groupScan(pool: pg.Pool, scanId: number, settings: ScanSettings): Promise<{ groups: number }> {
  return inTransaction(pool, async (db) => {
    const groups = connectedGroups(await readMatchedPairs(db, scanId), settings.maxGroupSize);
    await saveGroups(db, scanId, groups);
    await dropWorkingRows(db, scanId);
    await finishScan(db, scanId, 'completed');
    return { groups: groups.length };
  });
}

/** A failed or cancelled scan: marked failed, its working tables removed; pairs found so far are dropped too. */
export async function abandonScan(
  pool: pg.Pool,
  scanId: number,
  failure: { code: string; message: string },
): Promise<void> {
  await inTransaction(pool, async (db) => {
    await dropWorkingRows(db, scanId);
    await dropScanPairs(db, scanId);
    await finishScan(db, scanId, 'failed', failure);
  });
}
