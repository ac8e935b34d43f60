import { setTimeout as sleep } from 'node:timers/promises';
import { ApiError, ApiUnreachableError, createApiClient } from './api-client';
import { parseCli, UsageError } from './args';
import { LocalFileError, runCommand } from './commands';
import { EXIT, type ExitCode } from './exit-codes';
import { formatApiError } from './format';
import { usage } from './usage';
import type { ProgressOutput } from './wait';

export interface CliIo {
  stdout: { write(text: string): void };
  stderr: ProgressOutput;
  env: Record<string, string | undefined>;
}

/** The whole CLI as a function: argv in, exit code out; every error becomes one clear stderr line. */
export async function runCli(argv: string[], io: CliIo): Promise<ExitCode> {
  try {
    const invocation = parseCli(argv, io.env);
    if (invocation.kind === 'help') {
      io.stdout.write(usage(invocation.topic));
      return EXIT.OK;
    }
    const client = createApiClient(invocation.connection);
    return await runCommand(
      {
        client,
        connection: invocation.connection,
        stdout: io.stdout,
        stderr: io.stderr,
        now: Date.now,
        sleep: (ms) => sleep(ms),
      },
      invocation.command,
    );
  } catch (err) {
    const { code, message } = describeFailure(err);
    io.stderr.write(message);
    return code;
  }
}

/** Upload checks answer 4xx: the file was refused before anything was staged. */
const UPLOAD_REFUSED = [400, 413, 415, 422];

function describeFailure(err: unknown): { code: ExitCode; message: string } {
  if (err instanceof UsageError || err instanceof LocalFileError)
    return { code: EXIT.USAGE, message: `ferry: ${err.message}\n` };
  if (err instanceof ApiUnreachableError) {
    const cause = err.cause as { cause?: { code?: string; message?: string }; message?: string } | undefined;
    const why = cause?.cause?.code ?? cause?.cause?.message ?? cause?.message ?? 'no answer';
    return { code: EXIT.UNREACHABLE, message: `ferry: ${err.message} (${why}); set FERRY_URL or --url\n` };
  }
  if (err instanceof ApiError) return { code: exitCodeForApiError(err), message: formatApiError(err) };
  return { code: EXIT.API_ERROR, message: `ferry: ${(err as Error)?.stack ?? String(err)}\n` };
}

function exitCodeForApiError(err: ApiError): ExitCode {
  if (err.status === 401 || err.status === 403) return EXIT.AUTH;
  if (err.status === 404) return EXIT.NOT_FOUND;
  if (err.route === 'POST /api/imports' && UPLOAD_REFUSED.includes(err.status)) return EXIT.FILE_REJECTED;
  return EXIT.API_ERROR;
}
