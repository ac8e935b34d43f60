import { openAsBlob } from 'node:fs';
import path from 'node:path';
import { peakRssMb, resetPeakRss } from './processes';

/** A dry run reports its phase as it goes; a deadline still, so a stuck one fails the run. */
const DRY_RUN_DEADLINE_MS = 60 * 60_000;

/**
 * Uploads the file again with `dryRun`, as a user checks a file before importing it, and waits for
 * `validated`: from the upload request to the complete error report. The peaks are the dry run's own.
 */
export async function dryRunImport(
  baseUrl: string,
  token: string,
  file: string,
  batchSize: string,
  pids: { api: number; worker: number },
) {
  const headers = { authorization: `Bearer ${token}` };
  resetPeakRss(pids.api);
  resetPeakRss(pids.worker);
  const form = new FormData();
  form.set('source', 'nana');
  form.set('batchSize', batchSize);
  form.set('dryRun', 'true');
  form.set('file', await openAsBlob(file), path.basename(file));
  const started = performance.now();
  const res = await fetch(`${baseUrl}/api/imports`, { method: 'POST', body: form, headers });
  const accepted = await res.json();
  if (res.status !== 202) throw new Error(`dry run upload answered ${res.status}: ${JSON.stringify(accepted)}`);
  const uploadSeconds = (performance.now() - started) / 1000;
  for (;;) {
    const body = await (await fetch(`${baseUrl}/api/imports/${accepted.id}`, { headers })).json();
    if (['validated', 'completed', 'rolled_back', 'failed'].includes(body.status)) {
      return {
        id: accepted.id as number,
        workflowId: accepted.workflowId as string,
        status: body.status as string,
        seconds: (performance.now() - started) / 1000,
        uploadSeconds,
        validationSeconds: validationSeconds(body.timeline ?? []),
        counts: body.counts as Record<string, number>,
        peakRssMb: { apiMb: peakRssMb(pids.api), workerMb: peakRssMb(pids.worker) },
      };
    }
    if (performance.now() - started > DRY_RUN_DEADLINE_MS)
      throw new Error(
        `dry run ${accepted.id} not done after ${DRY_RUN_DEADLINE_MS / 60_000} minutes: ${body.status}/${body.phase}`,
      );
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** From the workflow's start of validation to the report's end, by the import's own timeline. */
function validationSeconds(timeline: { phase: string; at: string }[]): number {
  const at = (phase: string) => timeline.find((t) => t.phase === phase)?.at;
  const [from, to] = [at('validating'), at('done')];
  return from && to ? (Date.parse(to) - Date.parse(from)) / 1000 : NaN;
}
