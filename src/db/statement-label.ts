import { getTableName, is } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import * as schema from './schema';

/** Every table of Ferry's schema: the only names a label may carry. */
export const SCHEMA_TABLES: ReadonlySet<string> = new Set(
  Object.values(schema)
    .filter((t) => is(t, PgTable))
    .map((t) => getTableName(t as PgTable)),
);

const COMMANDS = new Set([
  'SELECT',
  'INSERT',
  'UPDATE',
  'DELETE',
  'COPY',
  'WITH',
  'BEGIN',
  'COMMIT',
  'ROLLBACK',
  'SET',
  'SAVEPOINT',
  'RELEASE',
  'LOCK',
  'TRUNCATE',
  'CREATE',
  'DROP',
  'ALTER',
  'ANALYZE',
  'VACUUM',
  'SHOW',
  'EXPLAIN',
  'VALUES',
]);
// A row lock (FOR UPDATE, FOR NO KEY UPDATE) or an upsert's DO UPDATE is not the statement's write.
const WRITE = /\b(insert\s+into|(?<!\b(?:for|key|do)\s+)update|delete\s+from)\s+([\w."]+)/i;
const LITERAL = /'(?:[^']|'')*'/g;
const FROM_ITEM = /\b(?:from|join)\s+([\w."]+)/gi;

/**
 * A short name for a SQL statement, for metrics: its command and the table it writes or reads
 * ("COPY customer_phones", "INSERT import_outcomes", "SELECT sync_history"), or for a statement on
 * no table the function it calls ("SELECT pg_advisory_xact_lock"). Made from the statement's text
 * alone, never its parameters, so it holds no personal data; a name outside `tables` is left out,
 * which keeps the set of labels as small as the code's own statements.
 */
export function statementLabel(sql: string, tables: ReadonlySet<string> = SCHEMA_TABLES): string {
  // A quoted literal is a value, not a name: 'customers' in pg_get_serial_sequence('customers', 'id').
  const text = sql.trimStart().replace(LITERAL, "''");
  const command = /^[a-z]+/i.exec(text)?.[0].toUpperCase() ?? '';
  if (!COMMANDS.has(command)) return 'other';
  // The last part of a name that may be quoted or schema-qualified ("public"."customers").
  const known = (name: string | undefined) => {
    const table = name?.split('.').pop()?.replaceAll('"', '').toLowerCase();
    return table !== undefined && tables.has(table) ? table : null;
  };
  if (command === 'COPY') return named('COPY', known(/^copy\s+([\w."]+)/i.exec(text)?.[1]));
  if (command === 'INSERT' || command === 'UPDATE' || command === 'DELETE' || command === 'WITH') {
    // A WITH names the write its CTEs feed, if it ends in one; otherwise it reads.
    const write = WRITE.exec(text);
    if (write) return named(write[1].split(/\s+/)[0].toUpperCase(), known(write[2]));
    if (command !== 'WITH') return command;
  }
  if (command !== 'SELECT' && command !== 'WITH') return command;
  const table = outermostTable(text, known);
  if (table) return `SELECT ${table}`;
  const fn = /^select\s+([a-z_][a-z0-9_]*)\s*\(/i.exec(text)?.[1];
  return fn ? `SELECT ${fn.toLowerCase()}` : 'SELECT';
}

const named = (command: string, table: string | null) => (table ? `${command} ${table}` : command);

/**
 * The table a query reads: of the known tables after a FROM or JOIN, the one least deep in
 * parentheses (the first of those). A lookup's own table sits in its probe's subquery, one level
 * down; a table only its filter consults (the imports in progress, for the sync-history lookup) deeper.
 */
function outermostTable(text: string, known: (name: string) => string | null): string | null {
  let best: { table: string; depth: number } | null = null;
  let depth = 0;
  let scanned = 0;
  for (const match of text.matchAll(FROM_ITEM)) {
    for (; scanned < match.index; scanned++) depth += text[scanned] === '(' ? 1 : text[scanned] === ')' ? -1 : 0;
    const table = known(match[1]);
    if (table && (best === null || depth < best.depth)) best = { table, depth };
  }
  return best?.table ?? null;
}
