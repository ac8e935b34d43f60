import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { NextFunction, Request, Response } from 'express';
import multer from 'multer';

/**
 * Multipart upload to disk (never memory) under a random name, with every limit explicit.
 * The temp file is removed when the response ends, whatever happened.
 */
export function uploadSingleFile(maxBytes: number) {
  const dir = path.join(os.tmpdir(), 'ferry-uploads');
  mkdirSync(dir, { recursive: true });
  const upload = multer({
    storage: multer.diskStorage({ destination: dir, filename: (_req, _file, cb) => cb(null, randomUUID()) }),
    limits: { fileSize: maxBytes, files: 1, fields: 20, fieldSize: 64 * 1024, parts: 25, headerPairs: 100 },
  }).single('file');
  return (req: Request, res: Response, next: NextFunction) => {
    res.on('close', () => {
      if (req.file?.path) unlink(req.file.path).catch(() => {});
    });
    upload(req, res, next);
  };
}
