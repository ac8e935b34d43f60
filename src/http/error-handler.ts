import type { NextFunction, Request, Response } from 'express';
import multer from 'multer';
import { ZodError } from 'zod';
import { FerryError } from '../errors';
import type { Logger } from '../logger';

const MULTER_STATUS: Record<string, number> = { LIMIT_FILE_SIZE: 413 };

/** The one place errors become responses: `{ error: { code, message, details } }`. */
export function errorHandler(logger: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const { status, body } = toProblem(err);
    if (status >= 500) logger.error({ err, method: req.method, path: req.route?.path ?? req.path }, 'request failed');
    if (res.headersSent) return res.destroy();
    res.status(status).json({ error: body });
  };
}

function toProblem(err: unknown): { status: number; body: { code: string; message: string; details?: unknown } } {
  if (err instanceof FerryError) return { status: err.status, body: { code: err.code, message: err.message, details: err.details } };
  if (err instanceof multer.MulterError) {
    return { status: MULTER_STATUS[err.code] ?? 400, body: { code: err.code, message: `upload rejected: ${err.message}${err.field ? ` (field "${err.field}")` : ''}` } };
  }
  if (err instanceof ZodError) {
    return { status: 400, body: { code: 'INVALID_REQUEST', message: err.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; '), details: err.issues } };
  }
  const status = (err as { status?: number; statusCode?: number }).status ?? (err as { statusCode?: number }).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { status, body: { code: 'BAD_REQUEST', message: (err as Error).message } };
  }
  return { status: 500, body: { code: 'INTERNAL', message: 'internal error' } };
}
