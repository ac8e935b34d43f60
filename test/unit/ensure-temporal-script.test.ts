import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { projectPath } from '../../src/project-root';

const BASH = spawnSync('sh', ['-c', 'command -v bash'], { encoding: 'utf8' }).stdout.trim();

/** scripts/ensure-temporal.sh with a PATH of the given folders and the few tools it uses: no Go, no temporal unless put there. */
function ensure(pathDirs: string[], cacheDir: string) {
  const basics = path.join(path.dirname(cacheDir), 'basics');
  mkdirSync(basics, { recursive: true });
  for (const tool of ['cat', 'mkdir', 'chmod']) {
    if (!existsSync(path.join(basics, tool)))
      symlinkSync(
        spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim(),
        path.join(basics, tool),
      );
  }
  const run = spawnSync(BASH, [projectPath('scripts/ensure-temporal.sh')], {
    encoding: 'utf8',
    env: { PATH: [...pathDirs, basics].join(':'), HOME: cacheDir, FERRY_CACHE_DIR: cacheDir },
  });
  return { status: run.status, stdout: run.stdout.trim(), stderr: run.stderr };
}

function executable(file: string, body: string) {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
}

describe('ensure-temporal.sh: the first run says what it does', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ferry-ensure-temporal-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('with neither a temporal binary nor Go, fails and says what to do', () => {
    const run = ensure([], path.join(dir, 'cache'));
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('no `temporal` on PATH');
    expect(run.stderr).toMatch(/install Go .*builds the CLI v1\.5\.1 once/);
    expect(run.stderr).toContain('install the Temporal CLI');
    expect(run.stderr).toContain('set TEMPORAL_ADDRESS');
  });

  it('says that it builds the CLI, why, and that it happens once, then prints only its path', () => {
    // A stand-in `go` that "installs" by writing the binary where GOBIN says.
    executable(
      path.join(dir, 'tools/go'),
      'echo "go: downloading github.com/temporalio/cli" >&2; printf "#!/bin/sh\\n" > "$GOBIN/temporal"; chmod +x "$GOBIN/temporal"',
    );
    const cache = path.join(dir, 'cache');
    const run = ensure([path.join(dir, 'tools')], cache);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(path.join(cache, 'bin/temporal'));
    expect(run.stderr).toMatch(/building the Temporal CLI v1\.5\.1 with Go/);
    expect(run.stderr).toContain('Temporal dev server');
    expect(run.stderr).toContain('This happens once');
    expect(run.stderr).toContain('go: downloading');

    const again = ensure([path.join(dir, 'tools')], cache);
    expect(again).toEqual({ status: 0, stdout: path.join(cache, 'bin/temporal'), stderr: '' });
  });

  it('uses a temporal on PATH without building', () => {
    executable(path.join(dir, 'tools/temporal'), 'exit 0');
    const run = ensure([path.join(dir, 'tools')], path.join(dir, 'cache'));
    expect(run).toEqual({ status: 0, stdout: path.join(dir, 'tools/temporal'), stderr: '' });
  });
});
