import { rmSync } from 'node:fs';
import { fileLimits, loadConfig, temporalAddress } from '../config';
import { createPool } from '../db/pool';
import { systemClock } from '../domain/clock';
import { createApp } from '../http/app';
import { probe } from '../http/readiness';
import { privateUploadDir } from '../http/upload';
import { serveHttp } from '../http/serve';
import { reconcilePeriodically } from '../imports/reconcile-periodically';
import { createLogger, logDestination } from '../logger';
import { connectClient } from '../temporal/connection';
import { temporalDedupeControl } from '../temporal/dedupe-control';
import { temporalControl } from '../temporal/import-control';

// Every file the api writes is an upload: readable by the api's own user only (0600).
process.umask(0o077);
const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL, 'ferry-api', logDestination(config.LOG_FORMAT));
if (config.AUTH_TOKENS.length === 0) {
  logger.fatal('AUTH_TOKENS is empty: set name:role:token entries (npm start generates one)');
  process.exit(1);
}
const uploadDir = privateUploadDir(config.UPLOAD_DIR);
const pool = createPool(config.DATABASE_URL, config.DB_POOL_SIZE);
const client = await connectClient(temporalAddress(config), config.TEMPORAL_NAMESPACE, config.FERRY_CODEC_KEYS);
const workflows = temporalControl(
  client,
  config.TEMPORAL_TASK_QUEUE,
  config.RANGE_CHECK_ROWS === undefined ? {} : { rangeCheckRows: config.RANGE_CHECK_ROWS },
);
const app = createApp({
  pool,
  clock: systemClock,
  tokens: config.AUTH_TOKENS,
  logger,
  maxUploadBytes: config.MAX_UPLOAD_BYTES,
  defaultRegion: config.DEFAULT_REGION,
  workflows,
  dedupeWorkflows: temporalDedupeControl(client, config.TEMPORAL_TASK_QUEUE),
  ready: () =>
    probe({ database: () => pool.query('SELECT 1'), temporal: () => client.workflowService.getSystemInfo({}) }),
  rateLimits: {
    uploadsPerMinute: config.RATE_LIMIT_UPLOADS_PER_MINUTE,
    actionsPerMinute: config.RATE_LIMIT_ACTIONS_PER_MINUTE,
    readsPerMinute: config.RATE_LIMIT_READS_PER_MINUTE,
    concurrentUploads: config.MAX_CONCURRENT_UPLOADS,
  },
  metricsToken: config.METRICS_TOKEN,
  uploadDir,
  authFailuresPerMinute: config.AUTH_FAILURES_PER_MINUTE,
  fileLimits: fileLimits(config),
  stageChunkRecords: config.STAGE_CHUNK_RECORDS,
  publicUrl: config.PUBLIC_URL,
  trustProxy: config.TRUST_PROXY,
  codecKeys: config.FERRY_CODEC_KEYS,
  codecCorsOrigins: config.TEMPORAL_UI_ORIGINS ?? [
    `http://127.0.0.1:${config.TEMPORAL_UI_PORT}`,
    `http://localhost:${config.TEMPORAL_UI_PORT}`,
  ],
});
const http = serveHttp(app, { port: config.PORT, requestTimeoutMs: config.UPLOAD_TIMEOUT_SECONDS * 1000 }, (port) =>
  logger.info({ port }, 'api listening'),
);
const reconciler = reconcilePeriodically({ pool, clock: systemClock, workflows }, logger);

/** Requests in flight (an upload being staged, a report being sent) finish before Temporal and the database are let go. */
async function shutdown(signal: NodeJS.Signals) {
  logger.info(
    { signal, graceSeconds: config.SHUTDOWN_GRACE_SECONDS },
    'api stopping: no new connections, requests in flight may finish',
  );
  const inTime = await http.close(config.SHUTDOWN_GRACE_SECONDS * 1000);
  await reconciler.stop();
  rmSync(uploadDir, { recursive: true, force: true });
  if (!inTime) {
    // A cut upload's transaction rolls back with the connection; one that committed is started by the next api's reconciler.
    logger.warn('api stopped with requests still running after the grace period');
    process.exit(1);
  }
  await client.connection.close();
  await pool.end();
  logger.info('api stopped');
}
// A terminal's Ctrl-C reaches the api, and npm start's SIGTERM follows: one shutdown serves both.
let shuttingDown: Promise<void> | undefined;
const onSignal = (signal: NodeJS.Signals) => void (shuttingDown ??= shutdown(signal));
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);
