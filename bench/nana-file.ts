import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, readFileSync, renameSync } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { nanaLines } from '../test/support/generate-nana';
import { existingPhone } from './database';

// Files are reused between runs: their name carries a digest of the code that generates them, so a
// changed generator never measures an old file under the new outcomes.
const generatorDigest = createHash('sha256')
  .update(readFileSync(path.resolve('test/support/generate-nana.ts')))
  .update(readFileSync(path.resolve('bench/database.ts')))
  .digest('hex')
  .slice(0, 8);

/** The seeded Nana file of `records` records under `dataDir`, generated once. */
export async function nanaFile(
  dataDir: string,
  { records, seed, existing }: { records: number; seed: number; existing: number },
): Promise<string> {
  const file = path.join(dataDir, `nana-${records}-seed${seed}-${generatorDigest}.csv`);
  if (existsSync(file)) return file;
  // Written aside and renamed: an interrupted run must not leave a short file the next run reuses.
  const partial = `${file}.partial`;
  const out = createWriteStream(partial);
  for (const line of nanaLines({
    records,
    seed,
    existingPhone,
    existingPhoneCount: existing,
    existingCustomerIds: [1, 2, 3, 4, 5],
  })) {
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  renameSync(partial, file);
  return file;
}
