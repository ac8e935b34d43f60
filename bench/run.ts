/**
 * `npm run bench`: Ferry end to end against the raw-COPY floor, on the same file and server, and
 * against the schema write floor (the rows Ferry wrote, re-inserted server-side into the same indexes).
 * Options: --sizes 100000,1000000  --existing 200000  --seed 42  --batch <rows> (default: the API's default batchSize)
 *   --variant name:ENV=value[,ENV=value] (repeatable): the same import under other settings, compared within the run
 *   --repeat <n>: every configuration n times, alternating, medians reported
 * While the import runs it calls GET /api/imports as an admin's page would and times the answers (--no-list-poll: not).
 * After the import it downloads both error reports (time, size, and the api's peak RSS with them),
 *   rolls the import back through the API and checks the CRM's rows are as before it (--no-rollback: not),
 *   then dry-runs the same file through the API and checks nothing was written (--no-dry-run: not).
 *   --dedupe: then scans the CRM for duplicate customers through the API (before the rollback).
 *   --statements: the worker's SQL statements timed by command and table (its statement metrics), per phase.
 * Results: a table per size and the targets table on stdout, both in bench/results/<time>.json.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, openAsBlob, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../src/config';
import { buildEntryPoints } from '../src/main/build-entry-points';
import { importOptionsSchema } from '../src/imports/import-options';
import { ferryDataConverter } from '../src/temporal/codec';
import { ensureTemporalCli, startDevServer } from '../src/temporal/dev-server';
import { baselineCopy } from './baseline';
import { schemaWriteFloor } from './schema-floor';
import { freshDatabase, seedCustomers } from './database';
import { downloadErrorReports } from './error-reports';
import { describeSettings, serverSettings } from './server-settings';
import { footprint, footprintSince } from './server-footprint';
import { CpuByPhase } from './cpu-time';
import { crmCounts, rollBackImport } from './rollback';
import { dryRunImport } from './dry-run';
import { LatencyPoller } from './list-latency';
import { targetLines, targetsOf } from './targets';
import { figuresOf, printResult } from './report';
import { historyEvents } from './history';
import { batchTurns } from './batch-turns';
import { nanaFile } from './nana-file';
import { phaseSeconds } from './phase-seconds';
import { scanDuplicates } from './dedupe';
import { peakRssMb, startProcess, stop, waitForHttp } from './processes';
import { DEFAULT_VARIANT, parseVariant, summarize, type VariantRun } from './variants';
import { StatementsByPhase } from './statement-times';

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100000,1000000' },
    existing: { type: 'string', default: '200000' },
    seed: { type: 'string', default: '42' },
    batch: { type: 'string', default: String(importOptionsSchema.parse({}).batchSize) },
    profile: { type: 'boolean', default: false },
    // The rollback is part of the default run; the flag is still accepted so older command lines run.
    rollback: { type: 'boolean', default: true },
    'no-rollback': { type: 'boolean', default: false },
    'no-dry-run': { type: 'boolean', default: false },
    'no-list-poll': { type: 'boolean', default: false },
    dedupe: { type: 'boolean', default: false },
    statements: { type: 'boolean', default: false },
    variant: { type: 'string', multiple: true, default: [] },
    repeat: { type: 'string', default: '1' },
    'admin-url': {
      type: 'string',
      default: process.env.BENCH_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    },
  },
});
const sizes = args.sizes!.split(',').map(Number);
const variants = [DEFAULT_VARIANT, ...args.variant!.map(parseVariant)];
const repeat = Number(args.repeat);
const existing = Number(args.existing);
const seed = Number(args.seed);
const dataDir = path.resolve('bench/.data');
const resultsDir = path.resolve('bench/results');
mkdirSync(dataDir, { recursive: true });
mkdirSync(resultsDir, { recursive: true });
// The api and the worker run from their bundles, as `npm run api|worker` runs them.
await buildEntryPoints();

const TOKEN = randomBytes(32).toString('base64url');
const API_PORT = 3917;
const WORKER_METRICS_PORT = 3918;
const TEMPORAL_PORT = 17233;

/** No change of an import's status, phase, rows or row for this long means it is stuck: the longest quiet stretch seen is a 5M validation (45–190 s). */
const STALL_MS = 10 * 60_000;

/** While the api and worker still run after the import: the default run's reports, floor and rollback. */
type AfterImport<T> = (importId: number, pids: { api: number; worker: number }) => Promise<T>;

async function runFerry<T = undefined>(
  file: string,
  databaseUrl: string,
  temporalAddress: string,
  variantEnv: Record<string, string>,
  afterImport?: AfterImport<T>,
) {
  // --statements turns on the worker's metrics endpoint, where its statement times are read.
  const metrics = args.statements ? { WORKER_METRICS_PORT: String(WORKER_METRICS_PORT) } : {};
  const env = {
    ...variantEnv,
    ...metrics,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_TASK_QUEUE: `bench-${Date.now()}`,
    AUTH_TOKENS: `bench:admin:${TOKEN}`,
    PORT: String(API_PORT),
    LOG_LEVEL: 'warn',
    MAX_UPLOAD_BYTES: String(4 * 1024 ** 3),
  };
  // --profile: CPU profiles of both processes into bench/.data/profiles (open in Chrome DevTools).
  const prof = (name: string) =>
    args.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.join(dataDir, 'profiles', name)}`] : [];
  const worker = startProcess('worker', env, prof('worker'));
  const api = startProcess('api', env, prof('api'));
  try {
    await waitForHttp(`http://127.0.0.1:${API_PORT}/healthz`);
    await new Promise((r) => setTimeout(r, 3000)); // the worker bundles its workflows
    const statements = args.statements
      ? new StatementsByPhase(`http://127.0.0.1:${WORKER_METRICS_PORT}/metrics`)
      : null;
    if (statements) await waitForHttp(`http://127.0.0.1:${WORKER_METRICS_PORT}/metrics`);
    const form = new FormData();
    form.set('source', 'nana');
    form.set('batchSize', args.batch!);
    form.set('file', await openAsBlob(file), path.basename(file));
    const before = await footprint(databaseUrl);
    const cpuByPhase = new CpuByPhase(databaseUrl, { api: api.pid, worker: worker.pid, temporal: server?.pid }, [
      'api',
      'worker',
    ]);
    await cpuByPhase.enter('staging');
    const listPoller = args['no-list-poll']
      ? null
      : new LatencyPoller(`http://127.0.0.1:${API_PORT}/api/imports`, TOKEN);
    const healthPoller = args['no-list-poll'] ? null : new LatencyPoller(`http://127.0.0.1:${API_PORT}/healthz`, TOKEN);
    const started = performance.now();
    const res = await fetch(`http://127.0.0.1:${API_PORT}/api/imports`, {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    const accepted = await res.json();
    if (res.status !== 202) throw new Error(`upload answered ${res.status}: ${JSON.stringify(accepted)}`);
    const uploadSeconds = (performance.now() - started) / 1000;
    let body: any;
    // A stuck import fails the run with where it stood instead of hanging it.
    let seen = '';
    let changedAt = performance.now();
    for (;;) {
      body = await (
        await fetch(`http://127.0.0.1:${API_PORT}/api/imports/${accepted.id}`, {
          headers: { authorization: `Bearer ${TOKEN}` },
        })
      ).json();
      if (['completed', 'rolled_back', 'failed', 'validated'].includes(body.status)) break;
      await cpuByPhase.enter(body.phase);
      for (const poller of [listPoller, healthPoller]) if (poller) poller.phase = body.phase;
      await statements?.enter(body.phase);
      const now = JSON.stringify([body.status, body.phase, body.progress?.rowsProcessed, body.updatedAt]);
      if (now !== seen) [seen, changedAt] = [now, performance.now()];
      if (performance.now() - changedAt > STALL_MS)
        throw new Error(
          `import ${accepted.id} made no progress for ${STALL_MS / 60_000} minutes: ${body.status}/${body.phase}, ${body.progress?.rowsProcessed} rows (workflow ${body.workflowId})`,
        );
      await new Promise((r) => setTimeout(r, 250));
    }
    const totalSeconds = (performance.now() - started) / 1000;
    const listLatency = await listPoller?.stop();
    const healthLatency = await healthPoller?.stop();
    const rss = { apiMb: peakRssMb(api.pid!), workerMb: peakRssMb(worker.pid!) };
    const written = await footprintSince(databaseUrl, before);
    const cpu = await cpuByPhase.end();
    const statementsByPhase = await statements?.end();
    // The status is final before the workflow's last step (the notification) has run: stopping the
    // worker then would leave `import-<id>` open, and the next run's import of the same id would join it.
    await client.workflow
      .getHandle(body.workflowId)
      .result()
      .catch(() => undefined);
    // After the import's peaks are read, so those stay comparable with earlier runs.
    const after = afterImport ? await afterImport(accepted.id, { api: api.pid!, worker: worker.pid! }) : undefined;
    return {
      body,
      uploadSeconds,
      totalSeconds,
      rss,
      written,
      cpu,
      statementsByPhase,
      listLatency,
      healthLatency,
      after,
    };
  } finally {
    await Promise.all([stop(api), stop(worker)]);
  }
}

// A fresh dev server per run: every run's import-1 is a new workflow, and history counts are this run's.
const temporalDb = path.join(dataDir, 'temporal.sqlite');
rmSync(temporalDb, { force: true });
const server = process.env.TEMPORAL_ADDRESS
  ? null
  : await startDevServer(await ensureTemporalCli(), {
      port: TEMPORAL_PORT,
      uiPort: TEMPORAL_PORT + 1000,
      dbFile: temporalDb,
      headless: true,
    });
const temporalAddress = process.env.TEMPORAL_ADDRESS ?? `127.0.0.1:${TEMPORAL_PORT}`;
const client = new Client({
  connection: await Connection.connect({ address: temporalAddress }),
  dataConverter: ferryDataConverter(loadConfig().FERRY_CODEC_KEYS),
});
const postgres = await serverSettings(args['admin-url']!);
console.log(describeSettings(postgres));

/** One import of the file under a variant's settings, on a freshly seeded database. */
async function ferryRun(file: string, env: Record<string, string>) {
  const databaseUrl = await freshDatabase(args['admin-url']!, 'ferry_bench');
  await seedCustomers(databaseUrl, existing);
  return runFerry(file, databaseUrl, temporalAddress, env);
}

type Pids = { api: number; worker: number };

/** The CPU of the api, the worker, PostgreSQL and Temporal over one step after the import. */
async function cpuOver<T>(databaseUrl: string, pids: Pids, name: string, step: () => Promise<T>) {
  const cpu = new CpuByPhase(databaseUrl, { ...pids, temporal: server?.pid }, ['api', 'worker']);
  await cpu.enter(name);
  const result = await step();
  return { ...result, cpu: (await cpu.end()).total };
}

async function measureRollback(
  databaseUrl: string,
  importId: number,
  pids: Pids,
  before: Record<string, number>,
  since: Date,
) {
  const base = `http://127.0.0.1:${API_PORT}`;
  const undone = await cpuOver(databaseUrl, pids, 'rollback', () => rollBackImport(base, TOKEN, importId, pids.worker));
  const crmAsBefore = JSON.stringify(await crmCounts(databaseUrl)) === JSON.stringify(before);
  return { ...undone, crmAsBefore, history: await historyEvents(client, `rollback-${importId}`, since) };
}

/** The same file with `dryRun`: it must write nothing to the CRM's tables. */
async function measureDryRun(databaseUrl: string, file: string, pids: Pids, since: Date) {
  const base = `http://127.0.0.1:${API_PORT}`;
  const crmBefore = await crmCounts(databaseUrl);
  const run = await cpuOver(databaseUrl, pids, 'dry run', () => dryRunImport(base, TOKEN, file, args.batch!, pids));
  const nothingWritten = JSON.stringify(await crmCounts(databaseUrl)) === JSON.stringify(crmBefore);
  return { ...run, nothingWritten, history: await historyEvents(client, run.workflowId, since) };
}

async function measure(records: number) {
  const file = await nanaFile(dataDir, { records, seed, existing });
  const databaseUrl = await freshDatabase(args['admin-url']!, 'ferry_bench');
  await seedCustomers(databaseUrl, existing);
  const before = await crmCounts(databaseUrl);
  const baseline = await baselineCopy(databaseUrl, file);
  const since = new Date();
  const ferry = await runFerry(file, databaseUrl, temporalAddress, DEFAULT_VARIANT.env, async (importId, pids) => {
    const base = `http://127.0.0.1:${API_PORT}`;
    // The api's peak with the reports is its own figure; the floor re-inserts the import's rows, so it comes before a rollback.
    const reports = { ...(await downloadErrorReports(base, TOKEN, importId)), apiPeakRssMb: peakRssMb(pids.api) };
    const floor = await schemaWriteFloor(databaseUrl, importId);
    const dedupe = args.dedupe ? await scanDuplicates(base, TOKEN, pids.worker) : undefined;
    const scan = dedupe ? { ...dedupe, history: await historyEvents(client, dedupe.workflowId, since) } : undefined;
    const rollback = args['no-rollback']
      ? undefined
      : await measureRollback(databaseUrl, importId, pids, before, since);
    const dryRun = args['no-dry-run'] ? undefined : await measureDryRun(databaseUrl, file, pids, since);
    return { reports, floor, scan, rollback, dryRun };
  });
  const { reports, floor, scan, rollback, dryRun } = ferry.after!;
  const c = ferry.body.counts;
  const history = await historyEvents(client, ferry.body.workflowId, since);
  const turns = await batchTurns(client, ferry.body.workflowId, since);
  const phases = { uploadAndStaging: ferry.uploadSeconds, ...phaseSeconds(ferry.body.timeline) };
  // Variants after the default, in rounds, so a drift of the machine's speed falls on every configuration alike.
  const runs = new Map<string, VariantRun[]>(variants.map((v) => [v.name, []]));
  runs
    .get(DEFAULT_VARIANT.name)!
    .push({ seconds: ferry.totalSeconds, importSeconds: phases.import, counts: c, peakRssMb: ferry.rss });
  for (let round = 0; round < repeat; round++) {
    for (const v of variants) {
      if (round === 0 && v === DEFAULT_VARIANT) continue;
      const run = await ferryRun(file, v.env);
      runs.get(v.name)!.push({
        seconds: run.totalSeconds,
        importSeconds: phaseSeconds(run.body.timeline).import,
        counts: run.body.counts,
        peakRssMb: run.rss,
      });
    }
  }
  return {
    records,
    fileMb: Math.round(statSync(file).size / 1024 / 1024),
    baseline: { seconds: baseline.seconds, recordsPerSecond: Math.round(records / baseline.seconds) },
    schemaFloor: { seconds: floor.seconds, rows: floor.rows, byTable: floor.byTable },
    ferry: {
      status: ferry.body.status as string,
      seconds: ferry.totalSeconds,
      recordsPerSecond: Math.round(records / ferry.totalSeconds),
      ratioToBaseline: ferry.totalSeconds / baseline.seconds,
      ratioToSchemaFloor: ferry.totalSeconds / floor.seconds,
      phases,
      peakRssMb: ferry.rss,
      server: ferry.written,
      cpu: ferry.cpu,
      statementsByPhase: ferry.statementsByPhase,
      counts: c,
      balances: c.created + c.linked + c.updated + c.skipped + c.rejected === c.total,
      verification: (ferry.body.verification?.ok ?? false) as boolean,
      history,
      batchTurns: turns,
      errorReports: reports,
      dedupe: scan,
      rollback,
      dryRun,
      listLatency: ferry.listLatency,
      healthLatency: ferry.healthLatency,
    },
    variants:
      runs.size > 1 || repeat > 1 ? { variants, runs: Object.fromEntries(runs), summary: summarize(runs) } : undefined,
  };
}

export type SizeResult = Awaited<ReturnType<typeof measure>>;

const results: SizeResult[] = [];
try {
  for (const records of sizes) {
    const result = await measure(records);
    results.push(result);
    printResult(result, existing);
  }
} finally {
  await client.connection.close();
  if (server) server.kill('SIGTERM');
}

const targets = targetsOf(results.map(figuresOf));
const out = {
  at: new Date().toISOString(),
  machine: {
    cpus: os.cpus().length,
    model: os.cpus()[0]?.model,
    memGb: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    postgres,
  },
  existingCustomers: existing,
  seed,
  batchSize: Number(args.batch),
  results,
  targets,
};
const outFile = path.join(resultsDir, `${out.at.replace(/[:.]/g, '-')}.json`);
writeFileSync(outFile, JSON.stringify(out, null, 2));
console.log('\ntargets of this run:');
for (const line of targetLines(targets)) console.log(`  ${line}`);
console.log(`results written to ${path.relative(process.cwd(), outFile)}`);
