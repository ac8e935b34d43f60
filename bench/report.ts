import os from 'node:os';
import type { CpuSpent } from './cpu-time';
import type { SizeResult } from './run';
import { statementLines } from './statement-times';
import type { SizeFigures } from './targets';

function listLine(l: NonNullable<SizeResult['ferry']['listLatency']>): string {
  const phases = Object.entries(l.byPhase)
    .map(
      ([phase, p]) =>
        `\n    ${phase.padEnd(21)}${p.count} answers, p50 ${p.p50Ms} ms, p99 ${p.p99Ms} ms, max ${p.maxMs} ms`,
    )
    .join('');
  return `${l.count} answers, p50 ${l.p50Ms} ms, p99 ${l.p99Ms} ms, max ${l.maxMs} ms (${l.skipped} ticks skipped with 2 open, ${l.failed} failed)${phases}`;
}

function cpuLine(spent: CpuSpent): string {
  const processLine = (name: string, sec: number) => {
    const main = spent.mainThreadSeconds[name];
    return `${name} ${sec.toFixed(1)} s${main === undefined ? '' : ` (main thread ${main.toFixed(1)})`}`;
  };
  return `${Object.entries(spent.seconds)
    .map(([name, sec]) => processLine(name, sec))
    .join(', ')}: ${spent.coresBusy} of ${os.cpus().length} cores busy over ${spent.wallSeconds.toFixed(1)} s`;
}

/** The import's CPU outside the bench itself, over every core: the least wall time this work could take here. */
function workBoundSeconds(spent: CpuSpent): number {
  const seconds = Object.entries(spent.seconds)
    .filter(([name]) => name !== 'bench')
    .reduce((sum, [, sec]) => sum + sec, 0);
  return seconds / os.cpus().length;
}

/** What the targets speak of; each process's peak is its highest over the import and every step after it. */
export function figuresOf(r: SizeResult): SizeFigures {
  const f = r.ferry;
  return {
    records: r.records,
    ferrySeconds: f.seconds,
    schemaFloorSeconds: r.schemaFloor.seconds,
    dryRunSeconds: f.dryRun?.seconds,
    rollbackSeconds: f.rollback?.seconds,
    listP99Ms: f.listLatency?.p99Ms,
    peakRssMb: {
      apiMb: Math.max(f.peakRssMb.apiMb, f.errorReports.apiPeakRssMb, f.dryRun?.peakRssMb.apiMb ?? 0),
      workerMb: Math.max(
        f.peakRssMb.workerMb,
        f.rollback?.workerPeakRssMb ?? 0,
        f.dryRun?.peakRssMb.workerMb ?? 0,
        f.dedupe?.workerPeakRssMb ?? 0,
      ),
    },
    historyMaxRun: Math.max(f.history.maxRun, f.rollback?.history.maxRun ?? 0, f.dryRun?.history.maxRun ?? 0),
    workBoundSeconds: workBoundSeconds(f.cpu.total),
  };
}

export function printResult(r: SizeResult, existing: number) {
  const f = r.ferry;
  const p = f.phases;
  const s = (x: number) => `${x.toFixed(1)} s`;
  const bound = workBoundSeconds(f.cpu.total);
  console.log(`
${r.records.toLocaleString()} records (${r.fileMb} MB), ${existing.toLocaleString()} customers already in the CRM
  baseline raw COPY        ${s(r.baseline.seconds)}  ${r.baseline.recordsPerSecond.toLocaleString()} records/s
  schema write floor       ${s(r.schemaFloor.seconds)}  ${r.schemaFloor.rows.toLocaleString()} rows into the CRM's indexed tables, server-side
  Ferry end to end         ${s(f.seconds)}  ${f.recordsPerSecond.toLocaleString()} records/s  ${f.ratioToBaseline.toFixed(1)}x baseline, ${f.ratioToSchemaFloor.toFixed(1)}x schema floor  [${f.status}, verified ${f.verification}, balances ${f.balances}]
    upload + staging       ${s(p.uploadAndStaging)}
    validation             ${s(p.validation)}
    test batch             ${s(p.testBatch)}
    import                 ${s(p.import)}${f.batchTurns ? `: ${f.batchTurns.batches} batches, ${s(f.batchTurns.inBatchesSeconds)} in them, ${s(f.batchTurns.betweenBatchesSeconds)} between them` : ''}
    verification           ${s(p.verification)}
  peak RSS                 api ${f.peakRssMb.apiMb} MB, worker ${f.peakRssMb.workerMb} MB
  CPU time                 ${cpuLine(f.cpu.total)}
    on every core at once  ${s(bound)}, ${(bound / r.schemaFloor.seconds).toFixed(2)}x the schema floor: no schedule of this work ends sooner here
${Object.entries(f.cpu.byPhase)
  .map(([phase, spent]) => `    ${phase.padEnd(21)}${cpuLine(spent)}`)
  .join('\n')}
  GET /api/imports         ${f.listLatency ? listLine(f.listLatency) : 'not polled (--no-list-poll)'}
  GET /healthz (the floor) ${f.healthLatency ? listLine(f.healthLatency) : 'not polled (--no-list-poll)'}
  database server          ${f.server.walMb.toLocaleString()} MB of WAL written, the database grew by ${f.server.databaseMb.toLocaleString()} MB
  Temporal history         ${f.history.total} events in ${f.history.runs} run(s), at most ${f.history.maxRun} in one run
  outcomes                 ${JSON.stringify(f.counts)}
  error reports            errors.csv ${s(f.errorReports.csv.seconds)} (${f.errorReports.csv.megabytes} MB, ${f.errorReports.csv.rows!.toLocaleString()} rows${f.errorReports.csv.rows === f.counts.rejected ? '' : ', NOT the rejected count'}), errors.xlsx ${s(f.errorReports.xlsx.seconds)} (${f.errorReports.xlsx.megabytes} MB); api peak RSS with them ${f.errorReports.apiPeakRssMb} MB`);
  const importing = f.statementsByPhase?.importing;
  if (importing) {
    console.log("  statements (--statements) in the import phase, the worker's, summed over its connections:");
    for (const line of statementLines(importing, r.schemaFloor.byTable)) console.log(`    ${line}`);
  }
  if (f.dedupe) {
    console.log(
      `  duplicate scan (--dedupe) ${s(f.dedupe.seconds)} (${(f.dedupe.seconds / f.seconds).toFixed(2)}x the import)  [${f.dedupe.status}] ${JSON.stringify(f.dedupe.counts)}  worker peak RSS ${f.dedupe.workerPeakRssMb} MB, ${f.dedupe.history.total} history events, at most ${f.dedupe.history.maxRun} in one run`,
    );
  }
  if (f.rollback) {
    console.log(
      `  rollback                 ${s(f.rollback.seconds)} (${(f.rollback.seconds / f.seconds).toFixed(2)}x the import)  [${f.rollback.status}, the CRM's rows as before the import: ${f.rollback.crmAsBefore}]  worker peak RSS ${f.rollback.workerPeakRssMb} MB, ${f.rollback.history.total} history events
    CPU                    ${cpuLine(f.rollback.cpu)}`,
    );
  }
  if (f.dryRun) {
    console.log(
      `  dry run                  ${s(f.dryRun.seconds)} (${(f.dryRun.seconds / f.seconds).toFixed(2)}x the import; upload and staging ${s(f.dryRun.uploadSeconds)}, validation ${s(f.dryRun.validationSeconds)})  [${f.dryRun.status}, nothing written to the CRM: ${f.dryRun.nothingWritten}, ${f.dryRun.counts.rejected?.toLocaleString()} invalid]  peak RSS api ${f.dryRun.peakRssMb.apiMb} / worker ${f.dryRun.peakRssMb.workerMb} MB, ${f.dryRun.history.total} history events
    CPU                    ${cpuLine(f.dryRun.cpu)}`,
    );
  }
  for (const v of r.variants?.summary ?? []) {
    console.log(
      `  variant ${v.name.padEnd(16)} ${s(v.seconds)} (${v.ratio.toFixed(2)}x default), import ${s(v.importSeconds)} (${v.importRatio.toFixed(2)}x), median of ${v.runs}, peak RSS api ${v.peakRssMb.apiMb} / worker ${v.peakRssMb.workerMb} MB, ${v.sameOutcomes ? 'same outcomes' : 'OTHER OUTCOMES'}`,
    );
  }
}
