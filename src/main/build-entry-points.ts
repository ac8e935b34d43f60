import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { projectPath } from '../project-root';
import { BUILD_DIR, ENTRY_POINTS, entryPointFile, type EntryPoint } from './process-args';

/**
 * Bundles the api and the worker into dist/ (one ES module each, node_modules left external), so
 * they run on plain `node`: run through tsx, each process would also carry tsx's module loader, a
 * thread with a V8 isolate of its own. Quick enough that every command
 * that starts a process builds first. Each file is written beside and renamed into place, so a
 * process starting while another command builds never reads half a file.
 */
export async function buildEntryPoints(): Promise<void> {
  const outdir = projectPath(BUILD_DIR);
  const result = await build({
    // The process an upload is read in (src/imports/read-in-child.ts) runs from a bundle of its own.
    entryPoints: Object.fromEntries(
      Object.entries({ ...ENTRY_POINTS, 'parse-child': 'src/imports/parse-child.ts' }).map(([name, source]) => [
        name,
        projectPath(source),
      ]),
    ),
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    write: false,
    logLevel: 'warning',
  });
  mkdirSync(outdir, { recursive: true });
  for (const file of result.outputFiles) {
    const partial = `${file.path}.${process.pid}.partial`;
    writeFileSync(partial, file.contents);
    renameSync(partial, file.path);
  }
}

// `npm run build`, and the npm scripts that start a process.
if (process.argv[1] && path.resolve(process.argv[1]) === projectPath('src/main/build-entry-points.ts')) {
  await buildEntryPoints();
  // The paths it wrote, for whoever runs it by hand.
  for (const name of Object.keys(ENTRY_POINTS))
    console.error(`built ${path.relative(process.cwd(), projectPath(entryPointFile(name as EntryPoint)))}`);
}
