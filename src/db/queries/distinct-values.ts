/**
 * A FROM item `u(v)` holding the distinct values of an array parameter, to join a batch's keys
 * against a table: `FROM ${distinctValues('$1::text[]')} JOIN t ON t.key = u.v`.
 * The planner may still hash-join the table; for a lookup on an index that must stay a probe
 * per key whatever the statistics say, use `probeEach`.
 */
export function distinctValues(arrayParam: string): string {
  return `(SELECT DISTINCT v FROM unnest(${arrayParam}) AS v) AS u(v)`;
}

/**
 * A FROM item `x` holding the rows `lookup` finds for each distinct value `u.v` of a text array
 * parameter, run once per value: `FROM ${probeEach('$1::text[]', 'SELECT p.customer_id FROM customer_phones p WHERE p.phone = u.v')}`.
 *
 * Why not `key = ANY($1)` or a plain join: with statistics older than the table (autovacuum off,
 * or behind during a long import) PostgreSQL plans both as a scan of every row of the source (the
 * array as a filter over the whole index range, or a hash join over a bitmap scan), which grows with
 * every batch. `OFFSET 0` keeps the subquery from being flattened into a join, so each value is one
 * index probe.
 *
 * The values are probed in sorted order, so consecutive probes walk the same index pages instead of
 * jumping about the index as hash order does. Sorted bytewise ("C"), which orders
 * the ASCII keys like the index and skips the locale's comparisons; only the ORDER BY carries the
 * collation, so `u.v` keeps the column's and the probe can use its index.
 */
export function probeEach(arrayParam: `$${number}::text[]`, lookup: string): string {
  return `(SELECT v FROM (SELECT DISTINCT v FROM unnest(${arrayParam}) AS v) AS d ORDER BY v COLLATE "C") AS u(v) CROSS JOIN LATERAL (${lookup} OFFSET 0) AS x`;
}
