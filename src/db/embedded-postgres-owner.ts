import { execFileSync, spawnSync } from 'node:child_process';

/** The unprivileged account the embedded server runs as when Ferry runs as root. */
export interface ServerOwner {
  name: string;
  uid: number;
  gid: number;
}

/**
 * Who runs the embedded PostgreSQL: the caller itself, or, when that is root (PostgreSQL refuses to
 * run as root), `osUser`, created as a system account if the machine has none by that name, else `nobody`.
 */
export function serverOwner(osUser: string, say: (line: string) => void): ServerOwner | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const owner = lookUp(osUser) ?? createSystemUser(osUser, say) ?? lookUp('nobody');
  if (!owner)
    throw new Error(
      `PostgreSQL refuses to run as root, and neither the user ${osUser} nor nobody exists: create one, or set FERRY_DB_OS_USER`,
    );
  return owner;
}

/** Whether the owner may enter every folder down to `target` (and `target` itself, a folder or a program). */
export function reachableBy(owner: ServerOwner | undefined, target: string): boolean {
  return !owner || spawnSync('test', ['-x', target], { uid: owner.uid, gid: owner.gid }).status === 0;
}

export function unreachableError(owner: ServerOwner, target: string): Error {
  return new Error(
    `PostgreSQL refuses to run as root, so Ferry runs its embedded server as ${owner.name}, who cannot reach ${target}: ` +
      'set FERRY_DATA_DIR to a folder other users may enter (not under /root), run as another user, or set DATABASE_URL',
  );
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
  const made = spawnSync(
    'useradd',
    [
      '--system',
      '--user-group',
      '--no-create-home',
      '--home-dir',
      '/nonexistent',
      '--shell',
      '/usr/sbin/nologin',
      name,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  if (made.status === 0) return lookUp(name);
  say(
    `could not create ${name} (${made.error?.message ?? made.stderr.toString().trim()}): the embedded PostgreSQL runs as nobody`,
  );
  return undefined;
}
