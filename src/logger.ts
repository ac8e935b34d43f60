import { pino, type Logger } from 'pino';

export type { Logger };

/** Logs carry ids and counts only: never values from an uploaded file. */
export function createLogger(level: string, name: string): Logger {
  return pino({ level, name, redact: ['req.headers.authorization'] });
}
