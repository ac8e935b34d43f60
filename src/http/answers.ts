import type { RequestHandler, Response } from 'express';
import type { z } from 'zod';

/** The body of one page of a list: what was found, with the page it was asked for (see pageOf). */
export function onePage<T>(q: { page: number; pageSize: number }, found: { items: T[]; total: number }) {
  return { items: found.items, page: q.page, pageSize: q.pageSize, total: found.total };
}

/** A lookup: the record `find` returns for the path's id; `find` throws the 404 when there is none. */
export function answerById(
  params: z.ZodType<{ id: number }, unknown>,
  find: (id: number) => Promise<unknown>,
): RequestHandler {
  return async (req, res) => {
    res.json(await find(params.parse(req.params).id));
  };
}

/** 202 for a workflow just started: the body says what runs, Location where to follow it. */
export function answerStarted(res: Response, location: string, body: unknown): void {
  res.status(202).location(location).json(body);
}
