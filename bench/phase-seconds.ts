/** Seconds between the import's phases, from its timeline. */
export function phaseSeconds(timeline: { phase: string; at: string }[]): {
  validation: number;
  testBatch: number;
  import: number;
  verification: number;
} {
  const at = (phase: string) => timeline.find((t) => t.phase === phase)?.at;
  const span = (a: string, b: string) => (at(a) && at(b) ? (Date.parse(at(b)!) - Date.parse(at(a)!)) / 1000 : NaN);
  return {
    validation: span('validating', 'test_batch'),
    testBatch: span('test_batch', 'importing'),
    import: span('importing', 'verifying'),
    verification: span('verifying', 'done'),
  };
}
