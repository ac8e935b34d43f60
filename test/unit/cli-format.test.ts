import { describe, expect, it } from 'vitest';
import { ApiError, type ImportView } from '../../src/cli/api-client';
import { formatApiError, formatImport } from '../../src/cli/format';

describe('formatApiError', () => {
  it("puts the api's message first, then the code, status and route", () => {
    const err = new ApiError(
      422,
      'INVALID_HEADER',
      'customers.csv: missing columns lastname, phone',
      'POST /api/imports',
    );
    expect(formatApiError(err)).toBe(
      'ferry: customers.csv: missing columns lastname, phone (INVALID_HEADER, HTTP 422 on POST /api/imports)\n',
    );
  });

  it('says when the api lacks a route, rather than that the import is missing', () => {
    const route = new ApiError(
      404,
      'NOT_FOUND',
      'route POST /api/imports/3/approve not found',
      'POST /api/imports/3/approve',
    );
    expect(formatApiError(route)).toContain('this api does not offer POST /api/imports/3/approve');
    const missing = new ApiError(404, 'NOT_FOUND', 'import 3 not found', 'GET /api/imports/3');
    expect(formatApiError(missing)).not.toContain('does not offer');
  });

  it('points at the token on 401 and at the role on 403', () => {
    expect(formatApiError(new ApiError(401, 'UNAUTHORIZED', 'bad token', 'GET /api/imports'))).toContain('FERRY_TOKEN');
    expect(formatApiError(new ApiError(403, 'FORBIDDEN', 'admins only', 'POST /api/imports'))).toContain('admin token');
  });
});

describe('formatImport', () => {
  const imp: ImportView = {
    id: 12,
    source: 'nana',
    status: 'completed',
    phase: 'done',
    fileName: 'nana.csv',
    createdBy: 'alice',
    createdAt: '2025-01-01T00:00:00Z',
    finishedAt: '2025-01-01T00:01:00Z',
    workflowId: 'import-12',
    progress: { rowsProcessed: 9, total: 9, percent: 100 },
    counts: { total: 9, valid: 6, created: 4, linked: 0, updated: 0, skipped: 1, rejected: 4 },
    verification: { ok: true },
    failure: null,
  };

  it('prints the counts and how to get the rejected records', () => {
    const text = formatImport(imp);
    expect(text).toContain('import 12  completed\n');
    expect(text).toContain('created 4  linked 0  updated 0  skipped 1  rejected 4');
    expect(text).toContain('verified  ok');
    expect(text).toContain('ferry errors 12 -o import-12-errors.csv');
  });

  it('shows the phase while running and the failure when there is one', () => {
    const text = formatImport({
      ...imp,
      status: 'rolled_back',
      phase: 'rolling_back',
      failure: { code: 'VERIFY_FAILED', message: 'counts differ' },
      verification: { ok: false },
    });
    expect(text).toContain('import 12  rolled_back (rolling_back)');
    expect(text).toContain('failure   VERIFY_FAILED: counts differ');
    expect(text).toContain('verified  FAILED');
  });
});
