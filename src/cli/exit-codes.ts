import type { ImportStatus } from '../vocabulary';

/**
 * What `ferry` exits with. Scripts branch on these, so they never change meaning;
 * new ones get new numbers.
 */
export const EXIT = {
  OK: 0,
  /** Any other api error (409 conflict, 5xx, an answer that is not Ferry's). */
  API_ERROR: 1,
  /** Bad command line: unknown command or option, missing argument, no token. */
  USAGE: 2,
  /** Nothing answered at the api url. */
  UNREACHABLE: 3,
  /** 401 or 403: the token is wrong, or a viewer token was used for a write. */
  AUTH: 4,
  /** 404: no such import or source, or the api does not offer the route. */
  NOT_FOUND: 5,
  /** The upload was refused (size, type, encoding, header): nothing was staged. */
  FILE_REJECTED: 10,
  /** The import ended rolled back (a failed test batch or verification, a cancel). */
  ROLLED_BACK: 11,
  /** The import ended failed: even its rollback failed, an operator must look. */
  FAILED: 12,
  /** The import waited for an approval that never came. */
  EXPIRED: 13,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The exit code for an import that reached a terminal status. */
export function exitCodeForStatus(status: ImportStatus): ExitCode {
  switch (status) {
    case 'completed':
    case 'validated':
      return EXIT.OK;
    case 'rolled_back':
      return EXIT.ROLLED_BACK;
    case 'expired':
      return EXIT.EXPIRED;
    default:
      return EXIT.FAILED;
  }
}
