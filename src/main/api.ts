import { loadConfig, temporalAddress } from '../config';
import { createPool } from '../db/pool';
import { systemClock } from '../domain/clock';
import { createApp } from '../http/app';
import { createLogger } from '../logger';
import { connectClient } from '../temporal/connection';
import { temporalControl } from '../temporal/workflow-control';

const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL, 'ferry-api');
if (config.AUTH_TOKENS.length === 0) {
  logger.fatal('AUTH_TOKENS is empty: set name:role:token entries (npm start generates one)');
  process.exit(1);
}
const pool = createPool(config.DATABASE_URL, config.DB_POOL_SIZE);
const client = await connectClient(temporalAddress(config), config.TEMPORAL_NAMESPACE);
const app = createApp({
  pool,
  clock: systemClock,
  tokens: config.AUTH_TOKENS,
  logger,
  maxUploadBytes: config.MAX_UPLOAD_BYTES,
  workflows: temporalControl(client, config.TEMPORAL_TASK_QUEUE),
});
const server = app.listen(config.PORT, () => logger.info({ port: config.PORT }, 'api listening'));

async function shutdown() {
  server.close();
  await client.connection.close();
  await pool.end();
}
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
