import type { NextFunction, Request, Response } from 'express';
import multer from 'multer';
import { ZodError } from 'zod';
import { FerryError } from '../errors';
import type { Logger } from '../logger';

const MULTER_STATUS: Record<string, number> = { LIMIT_FILE_SIZE: 413 };

export interface Problem {
  code: string;
  message: string;
  details?: unknown;
}

/** The one place errors become responses: `{ error: { code, message, details } }`. */
export function errorHandler(logger: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const { status, body } = toProblem(err);
    // req.log carries the request id; the error object is logged only for 5xx (4xx messages can quote the request).
    const log = (req as Request & { log?: Logger }).log ?? logger;
    if (status >= 500) log.error({ err, method: req.method, path: req.route?.path ?? req.path }, 'request failed');
    if (res.headersSent) return res.destroy();
    res.status(status).json({ error: body });
  };
}

export function toProblem(err: unknown): { status: number; body: Problem } {
  if (err instanceof FerryError)
    return { status: err.status, body: { code: err.code, message: err.message, details: err.details } };
  if (err instanceof multer.MulterError) {
    return {
      status: MULTER_STATUS[err.code] ?? 400,
      body: { code: err.code, message: `upload rejected: ${err.message}${err.field ? ` (field "${err.field}")` : ''}` },
    };
  }
  if (err instanceof ZodError) {
    return {
      status: 400,
      body: {
        code: 'INVALID_REQUEST',
        message: err.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; '),
        details: err.issues,
      },
    };
  }
  const type = (err as { type?: unknown }).type;
  if (type === 'entity.parse.failed')
    return { status: 400, body: { code: 'INVALID_JSON', message: 'the request body is not valid JSON' } };
  if (type === 'entity.too.large')
    return { status: 413, body: { code: 'BODY_TOO_LARGE', message: 'the request body is too large' } };
  const status =
    (err as { status?: number; statusCode?: number }).status ?? (err as { statusCode?: number }).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { status, body: { code: 'BAD_REQUEST', message: (err as Error).message } };
  }
  return { status: 500, body: { code: 'INTERNAL', message: 'internal error' } };
}
