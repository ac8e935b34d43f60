import { peakRssMb, resetPeakRss } from './processes';

/** A scan reports its counts as it goes; a deadline still, so a stuck one fails the run. */
const SCAN_DEADLINE_MS = 60 * 60_000;

/**
 * A duplicate scan of the whole CRM through the API right after the import, as an admin would
 * start one after a migration; the worker's peak is its own for the scan.
 */
export async function scanDuplicates(baseUrl: string, token: string, workerPid: number) {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  resetPeakRss(workerPid);
  const started = performance.now();
  const res = await fetch(`${baseUrl}/api/dedupe`, { method: 'POST', headers, body: '{}' });
  if (res.status !== 202) throw new Error(`dedupe answered ${res.status}: ${await res.text()}`);
  const { id, workflowId } = await res.json();
  for (;;) {
    const body = await (await fetch(`${baseUrl}/api/dedupe/${id}`, { headers })).json();
    if (body.status !== 'running') {
      return {
        status: body.status as string,
        seconds: (performance.now() - started) / 1000,
        workerPeakRssMb: peakRssMb(workerPid),
        counts: body.counts as Record<string, number>,
        workflowId: workflowId as string,
      };
    }
    if (performance.now() - started > SCAN_DEADLINE_MS)
      throw new Error(`scan ${id} not done after ${SCAN_DEADLINE_MS / 60_000} minutes: ${JSON.stringify(body.counts)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
