import { loadConfig, temporalAddress } from '../config';
import { createPool } from '../db/pool';
import { systemClock } from '../domain/clock';
import { createApp } from '../http/app';
import { probe } from '../http/readiness';
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
const client = await connectClient(temporalAddress(config), config.TEMPORAL_NAMESPACE, config.FERRY_CODEC_KEYS);
const app = createApp({
  pool,
  clock: systemClock,
  tokens: config.AUTH_TOKENS,
  logger,
  maxUploadBytes: config.MAX_UPLOAD_BYTES,
  workflows: temporalControl(client, config.TEMPORAL_TASK_QUEUE),
  ready: () => probe({ database: () => pool.query('SELECT 1'), temporal: () => client.workflowService.getSystemInfo({}) }),
  rateLimits: { uploadsPerMinute: config.RATE_LIMIT_UPLOADS_PER_MINUTE, actionsPerMinute: config.RATE_LIMIT_ACTIONS_PER_MINUTE },
  uploadDir: config.UPLOAD_DIR,
  codecKeys: config.FERRY_CODEC_KEYS,
  codecCorsOrigins: config.TEMPORAL_UI_ORIGINS ?? [`http://127.0.0.1:${config.TEMPORAL_UI_PORT}`, `http://localhost:${config.TEMPORAL_UI_PORT}`],
});
const server = app.listen(config.PORT, () => logger.info({ port: config.PORT }, 'api listening'));

async function shutdown() {
  server.close();
  await client.connection.close();
  await pool.end();
}
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
