import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The checkout (or image) Ferry runs from: the nearest folder above this module that holds
 * package.json. The same from the TypeScript sources (src/) and from the bundles built from them
 * (dist/), where every module shares one file and so one import.meta.url.
 */
export const PROJECT_ROOT = findRoot(path.dirname(fileURLToPath(import.meta.url)));

function findRoot(dir: string): string {
  for (let at = dir; ; at = path.dirname(at)) {
    if (existsSync(path.join(at, 'package.json'))) return at;
    if (path.dirname(at) === at) throw new Error(`no package.json above ${dir}`);
  }
}

/** A path inside the project, given from its root. */
export const projectPath = (...parts: string[]) => path.join(PROJECT_ROOT, ...parts);
