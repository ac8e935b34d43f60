/** Tuning of a scan; the defaults suit a CRM of a million customers. */
export interface ScanSettings {
  /** A block (customers sharing one key) larger than this is skipped: a shared office phone is no evidence. */
  maxBlock: number;
  /** Inside a birth-date block, names must be at least this alike by trigrams to be compared. */
  minNameSimilarity: number;
  maxGroupSize: number;
}

export const DEFAULT_SCAN_SETTINGS: ScanSettings = { maxBlock: 200, minNameSimilarity: 0.4, maxGroupSize: 10 };
