import { peakRssMb, resetPeakRss } from './processes';
import { withClient } from '../src/db/with-client';

/** Rows of the CRM's tables: the same before the import and after its rollback, or the rollback missed something. */
export async function crmCounts(databaseUrl: string): Promise<Record<string, number>> {
  return withClient(databaseUrl, async (client) => {
    const { rows } = await client.query(
      `SELECT (SELECT count(*) FROM customers)::int AS customers, (SELECT count(*) FROM customer_phones)::int AS phones,
              (SELECT count(*) FROM customer_emails)::int AS emails, (SELECT count(*) FROM customer_companies)::int AS companies,
              (SELECT count(*) FROM customer_relations WHERE active)::int AS "activeRelations", (SELECT count(*) FROM customer_relations)::int AS relations,
              (SELECT count(*) FROM sync_history)::int AS "syncHistory"`,
    );
    return rows[0];
  });
}

/** The rollback reports no progress while it runs, so a deadline: a 5M-record rollback took 10 minutes before its chunks walked in key order. */
const ROLLBACK_DEADLINE_MS = 60 * 60_000;

/**
 * Rolls the finished import back through the API, as its owner would after the fact, and waits for
 * `rolled_back`. The worker's peak is its own for the rollback.
 */
export async function rollBackImport(baseUrl: string, token: string, importId: number, workerPid: number) {
  const headers = { authorization: `Bearer ${token}` };
  resetPeakRss(workerPid);
  const started = performance.now();
  const res = await fetch(`${baseUrl}/api/imports/${importId}/rollback`, { method: 'POST', headers });
  if (res.status !== 202) throw new Error(`rollback answered ${res.status}: ${await res.text()}`);
  for (;;) {
    const body = await (await fetch(`${baseUrl}/api/imports/${importId}`, { headers })).json();
    if (body.status === 'rolled_back' || body.status === 'failed') {
      return {
        status: body.status as string,
        seconds: (performance.now() - started) / 1000,
        workerPeakRssMb: peakRssMb(workerPid),
        removed: body.rollback?.result?.remove,
      };
    }
    // A stuck rollback fails the run with where it stood instead of hanging it.
    if (performance.now() - started > ROLLBACK_DEADLINE_MS)
      throw new Error(
        `rollback of import ${importId} not done after ${ROLLBACK_DEADLINE_MS / 60_000} minutes: ${body.status}/${body.phase}`,
      );
    await new Promise((r) => setTimeout(r, 500));
  }
}
