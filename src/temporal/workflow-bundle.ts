import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { projectPath } from '../project-root';

const script = projectPath('src/main/bundle-workflows.ts');

/** Builds the workflow bundle in a child process and returns its path. */
export async function buildWorkflowBundle(encodeFailures: boolean): Promise<string> {
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'ferry-bundle-')), 'workflows.js');
  await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', script, out, ...(encodeFailures ? ['--encode-failures'] : [])],
    { maxBuffer: 1 << 20 },
  );
  return out;
}
