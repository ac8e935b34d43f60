import { loadConfig } from '../config';
import { ensureDatabase, migrateDatabase } from '../db/migrate';

const config = loadConfig();
await ensureDatabase(config.DATABASE_URL);
await migrateDatabase(config.DATABASE_URL);
console.log('database migrated');
