import { DEFAULT_URL, type CommandName } from './args';

const GENERAL = `ferry: import customer files into the CRM through the Ferry api

usage: ferry <command> [options]

commands:
  import <file> --source <s>   upload a file [--dry-run] [--approve] [--encoding e] [--delimiter d] [--region r] [--wait]
  list                         imports, newest first [--status s] [--source s] [--page n]
  status <id>                  one import: status, progress, counts [--wait]
  errors <id>                  rejected records [-o report.csv] [--page n]
  approve <id> / reject <id>   decide on an import waiting for approval
  cancel <id>                  cancel a running import (it rolls back)
  rollback <id>                undo a finished import [--preview] [--force]
  sources                      the sources and their columns
  template <source>            a sample file for the source [-o file.csv]
  dedupe                       scan the CRM for duplicate customers [--wait]
  groups <scanId>              a scan's groups of duplicates with their reasons [--page n]
  merge <groupId>              merge a group into its oldest customer
  merge-all <scanId>           merge every group of a scan in one batch [--min-score n]
  unmerge <mergeId>            undo a merge [--preview]

options for every command:
  --url <url>      the api (FERRY_URL, default ${DEFAULT_URL})
  --token <token>  an api token (FERRY_TOKEN; prefer the variable: flags show in ps)
  --json           print the api's JSON instead of text, for scripts
  -h, --help       help for a command: ferry import --help

exit codes:
  0   done (with --wait: the import ended completed or validated)
  1   other api error (conflict, server error)
  2   bad command line or no token
  3   the api cannot be reached
  4   the token is wrong or may not do this (401/403)
  5   no such import or source, or the api lacks the route (404)
  10  the upload was rejected (size, type, encoding, header): nothing staged
  11  the import ended rolled_back
  12  the import ended failed (the rollback failed too: look at it)
  13  the import expired waiting for approval
`;

const TOPICS: Record<CommandName, string> = {
  import: `usage: ferry import <file> --source <source> [--dry-run] [--approve] [--encoding <e>] [--delimiter <d>]
       [--region <r>] [--national-id-scheme <s>] [--date-order <o>] [--wait] [--interval <s>]

Uploads the file. The api checks size, type, encoding and header at once (exit 10 when it refuses).
  --dry-run    validate and report only; nothing is written to the customer tables
  --approve    require an approval after validation: ferry approve <id> (or reject) decides
  --encoding   CSV only: utf-8, utf-16le, utf-16be, windows-874 (or tis-620); default auto
               (detected). A file that does not decode in it is refused, naming the line
  --delimiter  CSV only: "," ";" tab "|"; default auto (the one splitting the header most)
  --region     ISO country code of phones written without one (TH, SG, MY, …); default: the
               mapping's, else the api's DEFAULT_REGION
  --national-id-scheme  th, sg, my or any; default: the region's
  --date-order DD/MM/YYYY or MM/DD/YYYY for slash dates (loyalty sources); default: ISO only
  --wait       follow the import to its end: a progress line with percent and ETA on stderr,
               the counts on stdout; exit 0 completed/validated, 11 rolled_back, 12 failed, 13 expired
  --interval   seconds between polls with --wait (default 1)`,
  list: `usage: ferry list [--status <status>] [--source <source>] [--page <n>] [--page-size <n>]

Imports, newest first. Statuses: queued, running, awaiting_approval, rolling_back, completed,
validated, rolled_back, failed, expired.`,
  status: `usage: ferry status <id> [--wait] [--interval <s>]

Status, phase, progress, counts and verification of one import. --wait follows it to its end with
the exit codes of ferry import --wait.`,
  errors: `usage: ferry errors <id> [-o <file.csv>] [--page <n>] [--page-size <n>]

Without -o: one page of rejected records with every reason. With -o: the whole CSV report (the
original columns, row_number, line_number, errors) written to the file.`,
  approve:
    'usage: ferry approve <id>\n\nLets an import waiting for approval (ferry import --approve) load its valid records.',
  reject: 'usage: ferry reject <id>\n\nRefuses an import waiting for approval: nothing is loaded.',
  cancel: 'usage: ferry cancel <id>\n\nCancels a running import; everything it loaded so far is rolled back.',
  rollback: `usage: ferry rollback <id> [--preview] [--force]

Undoes a finished import (workflow rollback-<id>).
  --preview  show what the rollback would remove, restore and keep, without doing it
  --force    also remove what later work has come to use (kept and reported otherwise)`,
  sources: 'usage: ferry sources\n\nThe sources Ferry imports, with their columns.',
  template:
    "usage: ferry template <source> [-o <file.csv>]\n\nA sample file with the source's columns, on stdout or into the file.",
  dedupe: `usage: ferry dedupe [--wait] [--interval <s>]

Starts a duplicate scan (workflow dedupe-<id>). --wait follows it to its end and prints its counts;
exit 0 completed, 12 failed.`,
  groups:
    'usage: ferry groups <scanId> [--page <n>] [--page-size <n>]\n\nThe groups a scan found, surest first: each customer with phones, e-mails and sources, and the reasons.',
  merge:
    'usage: ferry merge <groupId>\n\nMerges a group into its oldest customer, filling its blank fields (workflow merge-<id>).',
  'merge-all':
    'usage: ferry merge-all <scanId> [--min-score <n>]\n\nMerges every group of a scan (from the score given up, default 0) in one batch (workflow merge-batch-<id>):\n' +
    'one merge per group, each undoable on its own with ferry unmerge. A group merged meanwhile is refused and counted.',
  unmerge:
    'usage: ferry unmerge <mergeId> [--preview]\n\nUndoes a merge (workflow unmerge-<id>).\n  --preview  show what it would restore and what later work it would keep, without doing it',
};

export function usage(topic?: CommandName): string {
  return topic ? `${TOPICS[topic]}\n\n(global options and exit codes: ferry --help)\n` : GENERAL;
}
