import { loadConfig, temporalAddress } from '../config';
import { createPool } from '../db/pool';
import { systemClock } from '../domain/clock';
import { createLogger } from '../logger';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { createFerryWorker } from '../temporal/worker';

const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL, 'ferry-worker');
const sdkLevel = ({ trace: 'TRACE', debug: 'DEBUG', info: 'INFO', warn: 'WARN' } as const)[config.LOG_LEVEL as 'info'] ?? 'ERROR';
Runtime.install({ logger: new DefaultLogger(sdkLevel) });
const pool = createPool(config.DATABASE_URL, Math.max(config.DB_POOL_SIZE, config.WORKER_MAX_ACTIVITIES + 1));
const { worker, connection } = await createFerryWorker(
  { pool, clock: systemClock },
  { address: temporalAddress(config), namespace: config.TEMPORAL_NAMESPACE, taskQueue: config.TEMPORAL_TASK_QUEUE, maxActivities: config.WORKER_MAX_ACTIVITIES },
);
logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE }, 'worker running');
// The SDK shuts the worker down gracefully on SIGINT and SIGTERM.
await worker.run();
await connection.close();
await pool.end();
logger.info('worker stopped');
