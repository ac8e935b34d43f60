import type { RowRange } from '../domain/row-ranges';

/** The rows one batch imports, both included. */
export type BatchRange = RowRange;
