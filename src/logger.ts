import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

/**
 * Where a process's log lines go: short coloured lines when a person reads them (standard output
 * is a terminal, or `pretty` asked for), JSON lines for collectors otherwise. Pretty lines are
 * written synchronously, as pino's own destination writes JSON, so a crash loses no line.
 */
export function logDestination(
  format: 'pretty' | 'json' | undefined,
  isTerminal = Boolean(process.stdout.isTTY),
  out?: NodeJS.WritableStream,
): pino.DestinationStream | undefined {
  if ((format ?? (isTerminal ? 'pretty' : 'json')) === 'json') return undefined;
  return pretty({
    sync: true,
    colorize: isTerminal,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname',
    singleLine: true,
    ...(out ? { destination: out } : {}),
  });
}

/** Logs carry ids and counts only: never values from an uploaded file. */
export function createLogger(level: string, name: string, destination?: pino.DestinationStream): Logger {
  // The hook and formatters.log run on every line of this logger and of its children (pino-http's
  // request loggers included, which bring their own err serializer), before any serializer.
  return pino(
    {
      level,
      name,
      redact: ['req.headers.authorization'],
      formatters: { log: withSafeErrors },
      hooks: {
        // `log.error(err)` alone would take err.message as the line's message.
        logMethod(args, method) {
          const [first, ...rest] = args as unknown[];
          if (!(first instanceof Error)) return method.apply(this, args);
          return method.apply(this, [
            { err: first },
            ...(rest.length > 0 ? rest : [safeError(first).message]),
          ] as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}

function withSafeErrors(obj: Record<string, unknown>): Record<string, unknown> {
  let out = obj;
  for (const [key, value] of Object.entries(obj)) {
    if (value instanceof Error) out = { ...out, [key]: safeError(value, 0) };
  }
  return out;
}

export interface SafeError {
  type: string;
  code?: string;
  message: string;
  stack?: string;
  cause?: SafeError;
}

/**
 * An error as it may be logged. A PostgreSQL error keeps only its SQLSTATE: its message can quote
 * values, and its detail, where (a COPY line) and other fields quote whole rows. Errors about a
 * file keep only their code (their messages name its cells). No other field of any error is kept,
 * and the stack loses its first line, which repeats the message.
 */
export function safeError(err: Error, depth = 0): SafeError {
  const type = err.constructor?.name && err.constructor.name !== 'Error' ? err.constructor.name : err.name;
  const code = (err as { code?: unknown }).code;
  const plainCode = typeof code === 'string' && /^[A-Za-z0-9_]{1,64}$/.test(code) ? code : undefined;
  const sqlState = plainCode && /^[0-9A-Z]{5}$/.test(plainCode) && 'severity' in err ? plainCode : undefined;
  const message = sqlState
    ? `database error (SQLSTATE ${sqlState})`
    : QUOTES_THE_FILE.has(type)
      ? `${type} ${plainCode ?? ''}`.trim()
      : err.message;
  const frames = err.stack
    ?.split('\n')
    .filter((line) => /^\s+at /.test(line))
    .join('\n');
  const cause = err.cause instanceof Error && depth < 5 ? safeError(err.cause, depth + 1) : undefined;
  const safe: SafeError = {
    type,
    ...(plainCode ? { code: plainCode } : {}),
    message,
    ...(frames ? { stack: frames } : {}),
    ...(cause ? { cause } : {}),
  };
  // An err serializer downstream (pino's standard one) re-reads this object: without a constructor it takes `name` as the type.
  return Object.defineProperties(safe, { constructor: { value: undefined }, name: { value: type } });
}

/** Error classes whose messages quote the uploaded file (header cells, a record, a line of it). */
const QUOTES_THE_FILE = new Set(['FileRejectedError', 'CsvError']);
