import { execFileSync, spawnSync } from 'node:child_process';

/** The unprivileged account the embedded server runs as when Ferry runs as root. */
export interface ServerOwner {
  name: string;
  uid: number;
  gid: number;
}

/**
 * Who runs the embedded PostgreSQL: the caller itself, or, when that is root (PostgreSQL refuses to
 * run as root), `osUser`, created as a system account if the machine has none by that name, else
 * `nobody`. The account must be able to reach every path in `reach` (the binaries, the data folder).
 */
export function serverOwner(osUser: string, reach: string[], say: (line: string) => void): ServerOwner | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const owner = lookUp(osUser) ?? createSystemUser(osUser, say) ?? lookUp('nobody');
  if (!owner) throw new Error(`PostgreSQL refuses to run as root, and neither the user ${osUser} nor nobody exists: create one, or set FERRY_DB_OS_USER`);
  for (const target of reach) {
    const probe = spawnSync('test', ['-x', target], { uid: owner.uid, gid: owner.gid });
    if (probe.status !== 0) {
      throw new Error(
        `PostgreSQL refuses to run as root, so Ferry runs its embedded server as ${owner.name}, who cannot reach ${target}: ` +
          'put the checkout where other users may enter its folders (not under /root), run npm start as another user, or set DATABASE_URL',
      );
    }
  }
  return owner;
}

function lookUp(name: string): ServerOwner | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    return { name, uid, gid };
  } catch {
    return undefined;
  }
}

function createSystemUser(name: string, say: (line: string) => void): ServerOwner | undefined {
  say(`creating the system user ${name} to run the embedded PostgreSQL (it refuses to run as root)`);
  const made = spawnSync('useradd', ['--system', '--user-group', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', name], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (made.status === 0) return lookUp(name);
  say(`could not create ${name} (${made.error?.message ?? made.stderr.toString().trim()}): the embedded PostgreSQL runs as nobody`);
  return undefined;
}
