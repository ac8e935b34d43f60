import { loadConfig, nationalIdHashKey, temporalAddress } from '../config';
import { createPool } from '../db/pool';
import { systemClock } from '../domain/clock';
import { createLogger, logDestination } from '../logger';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { Client } from '@temporalio/client';
import { notificationSettings } from '../imports/notify-import-ended';
import { createWorkerMetrics, serveMetrics } from '../observability/worker-metrics';
import { ensureRetentionSchedule } from '../temporal/retention-schedule';
import { ferryDataConverter } from '../temporal/codec';
import { createFerryWorker } from '../temporal/worker';
import { buildWorkflowBundle } from '../temporal/workflow-bundle';

const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL, 'ferry-worker', logDestination(config.LOG_FORMAT));
const nationalIdKey = nationalIdHashKey(config, (message) => logger.warn(message));
const sdkLevel =
  ({ trace: 'TRACE', debug: 'DEBUG', info: 'INFO', warn: 'WARN' } as const)[config.LOG_LEVEL as 'info'] ?? 'ERROR';
Runtime.install({
  logger: new DefaultLogger(sdkLevel),
  ...(config.TEMPORAL_METRICS_ADDRESS
    ? { telemetryOptions: { metrics: { prometheus: { bindAddress: config.TEMPORAL_METRICS_ADDRESS } } } }
    : {}),
});
const metrics = config.WORKER_METRICS_PORT === undefined ? undefined : createWorkerMetrics();
const metricsServer = metrics && (await serveMetrics(metrics.registry, config.WORKER_METRICS_PORT!));
// Batches waiting for the write lock hold a connection each; the one holding it also runs its lookups
// on the pool, side by side. One connection more than activities always leaves it one to go on with.
const pool = createPool(
  config.DATABASE_URL,
  Math.max(config.DB_POOL_SIZE, config.WORKER_MAX_ACTIVITIES + 1),
  metrics && ((statement, seconds) => metrics.statementDuration.observe({ statement }, seconds)),
);
const { worker, connection } = await createFerryWorker(
  {
    pool,
    clock: systemClock,
    nationalIdKey,
    metrics,
    retentionDays: config.RETENTION_DAYS,
    notifications: notificationSettings(config),
    newCustomerFkChecks: config.NEW_CUSTOMER_FK_CHECKS,
    stagingBeatGraceSeconds: config.STAGING_BEAT_GRACE_SECONDS,
  },
  {
    address: temporalAddress(config),
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    maxActivities: config.WORKER_MAX_ACTIVITIES,
    codecKeys: config.FERRY_CODEC_KEYS,
    // Bundled in a child process: webpack's memory never counts against the long-running worker.
    workflowBundle: { codePath: await buildWorkflowBundle(config.FERRY_CODEC_KEYS.length > 0) },
  },
);
const retention = await ensureRetentionSchedule(
  new Client({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    dataConverter: ferryDataConverter(config.FERRY_CODEC_KEYS),
  }),
  { taskQueue: config.TEMPORAL_TASK_QUEUE },
);
logger.info(
  {
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    retentionSchedule: retention,
    metricsPort: config.WORKER_METRICS_PORT ?? null,
  },
  'worker running',
);
// The SDK shuts the worker down gracefully on SIGINT and SIGTERM.
await worker.run();
metricsServer?.close();
await connection.close();
await pool.end();
logger.info('worker stopped');
