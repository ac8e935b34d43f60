import { randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { NextFunction, Request, Response } from 'express';
import multer from 'multer';
import { FerryError } from '../errors';

/**
 * Where uploads wait while they are checked and staged: a folder of the api's own, made fresh by
 * mkdtemp under `parent` (the system temp dir by default) and closed to every other user (0700), so
 * no other account on the host can list or read a customer file, nor plant one under a name it guessed.
 */
export function privateUploadDir(parent = os.tmpdir()): string {
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(path.join(parent, 'ferry-uploads-'));
  chmodSync(dir, 0o700);
  return dir;
}

/**
 * Multipart upload to disk (never memory) under a random name, with every limit explicit.
 * The temp file is removed when the response ends, whatever happened; multer removes partial
 * files itself when the request fails or the client goes away.
 */
export function uploadSingleFile(maxBytes: number, dir: string) {
  const upload = multer({
    storage: multer.diskStorage({ destination: dir, filename: (_req, _file, cb) => cb(null, randomUUID()) }),
    // Browsers send file names as raw UTF-8; busboy's default (latin1) turns Thai names into mojibake.
    defParamCharset: 'utf8',
    limits: {
      fileSize: maxBytes,
      files: 1,
      fields: 20,
      fieldSize: 64 * 1024,
      fieldNameSize: 100,
      parts: 25,
      headerPairs: 100,
    },
  }).single('file');
  return (req: Request, res: Response, next: NextFunction) => {
    res.on('close', () => {
      if (req.file?.path) unlink(req.file.path).catch(() => {});
    });
    upload(req, res, (err?: unknown) => {
      if (!err || err instanceof multer.MulterError) return next(err);
      // Busboy's own errors (no boundary, a broken part header, a body cut short) are the client's doing.
      next(
        new FerryError('MALFORMED_MULTIPART', 'the multipart/form-data body could not be read', 400, undefined, {
          cause: err,
        }),
      );
    });
  };
}
