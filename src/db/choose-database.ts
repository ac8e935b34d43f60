import pg from 'pg';
import { shownPath } from '../shown-path';
import { startEmbeddedPostgres } from './embedded-postgres';

export interface DatabaseChoiceOptions {
  /** A connection URL the operator gave (DATABASE_URL): used as it is. */
  given?: string;
  /** The server looked for when none is given (by default the usual local PostgreSQL, trust auth). */
  systemUrl: string;
  /** FERRY_DB=embedded: the embedded server even when a system one answers. */
  forceEmbedded: boolean;
  /** Where the embedded server keeps its cluster, password and log. */
  dataDir: string;
  osUser: string;
  /** Settings of the embedded server (see startEmbeddedPostgres). */
  settings?: Record<string, string>;
  say: (line: string) => void;
}

export interface ChosenDatabase {
  kind: 'given' | 'system' | 'embedded';
  /** For a system or embedded server, the database named in systemUrl's path. */
  url: string;
  /** One line for the banner; never the password. */
  description: string;
  stop(): Promise<void>;
}

/** The PostgreSQL that `npm start` and the tests use: the one given, else the system's, else an embedded one. */
export async function chooseDatabase(opts: DatabaseChoiceOptions): Promise<ChosenDatabase> {
  const nothingToStop = async () => {};
  if (opts.given)
    return {
      kind: 'given',
      url: opts.given,
      description: `given by DATABASE_URL (${address(opts.given)})`,
      stop: nothingToStop,
    };
  if (!opts.forceEmbedded) {
    const refusal = await whyNotReachable(opts.systemUrl);
    if (!refusal)
      return {
        kind: 'system',
        url: opts.systemUrl,
        description: `system, ${address(opts.systemUrl)}`,
        stop: nothingToStop,
      };
    opts.say(`no PostgreSQL to use at ${hostPort(opts.systemUrl)} (${refusal}): starting an embedded one`);
  }
  const server = await startEmbeddedPostgres(opts);
  const url = new URL(server.url);
  url.pathname = new URL(opts.systemUrl).pathname;
  return {
    kind: 'embedded',
    url: url.toString(),
    description: `embedded PostgreSQL 18, ${address(url.toString())}, user postgres, password in ${shownPath(server.passwordFile)}, data in ${shownPath(server.clusterDir)}${server.owner ? ` (run as ${server.owner.name})` : ''}`,
    stop: server.stop,
  };
}

/** Why the server of `url` cannot be used (its maintenance database, as the URL's user), or undefined when it can. */
async function whyNotReachable(url: string): Promise<string | undefined> {
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const client = new pg.Client({ connectionString: maintenance.toString(), connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (err) {
    const { code, message } = err as { code?: string; message: string };
    return code === 'ECONNREFUSED' ? 'nothing listens there' : message;
  } finally {
    await client.end().catch(() => {});
  }
}

const hostPort = (url: string) => new URL(url).host;
const address = (url: string) => `${new URL(url).host}${new URL(url).pathname}`;
