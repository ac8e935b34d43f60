import { describe, expect, it } from 'vitest';
import { DEFAULT_URL, parseCli, UsageError } from '../../src/cli/args';
import { EXIT, exitCodeForStatus } from '../../src/cli/exit-codes';

const env = { FERRY_TOKEN: 'env-token' };
const run = (argv: string[], e: Record<string, string | undefined> = env) => {
  const inv = parseCli(argv, e);
  if (inv.kind !== 'run') throw new Error(`expected a command, got help`);
  return inv;
};
const usageError = (argv: string[], e: Record<string, string | undefined> = env) => {
  try {
    parseCli(argv, e);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error(`${argv.join(' ')} parsed without error`);
};

describe('parseCli', () => {
  it('parses an import with every option, in any order', () => {
    expect(run(['import', '--wait', 'customers.csv', '--source', 'nana', '--dry-run', '--approve']).command).toEqual({
      name: 'import',
      file: 'customers.csv',
      source: 'nana',
      dryRun: true,
      requireApproval: true,
      wait: true,
      intervalMs: 1000,
    });
  });

  it('takes the url and token from the environment, flags winning, and trims a trailing slash', () => {
    expect(run(['sources']).connection).toEqual({ url: DEFAULT_URL, token: 'env-token', json: false });
    expect(run(['sources'], { FERRY_URL: 'http://ferry:3000/', FERRY_TOKEN: 't' }).connection.url).toBe(
      'http://ferry:3000',
    );
    expect(run(['--url', 'https://x.example', '--token', 'flag', 'sources', '--json'], env).connection).toEqual({
      url: 'https://x.example',
      token: 'flag',
      json: true,
    });
  });

  it('refuses to run without a token, naming the variable', () => {
    expect(usageError(['status', '1'], {})).toMatch(/FERRY_TOKEN/);
  });

  it('parses ids, pages and the output file', () => {
    expect(run(['status', '42']).command).toEqual({ name: 'status', id: 42, wait: false, intervalMs: 1000 });
    expect(run(['errors', '7', '-o', 'out.csv']).command).toEqual({
      name: 'errors',
      id: 7,
      output: 'out.csv',
      page: 1,
      pageSize: 50,
    });
    expect(run(['list', '--status', 'failed', '--page', '3']).command).toEqual({
      name: 'list',
      status: 'failed',
      source: undefined,
      page: 3,
      pageSize: 20,
    });
    expect(run(['rollback', '5', '--preview']).command).toEqual({
      name: 'rollback',
      id: 5,
      preview: true,
      force: false,
    });
    expect(run(['rollback', '5', '--force']).command).toEqual({ name: 'rollback', id: 5, preview: false, force: true });
    expect(run(['template', 'nana', '--output', 't.csv']).command).toEqual({
      name: 'template',
      source: 'nana',
      output: 't.csv',
    });
    expect(run(['import', 'f.csv', '--source', 'nana', '--wait', '--interval', '0.2']).command).toMatchObject({
      intervalMs: 200,
    });
  });

  it('says what is wrong with a bad command line', () => {
    expect(usageError([])).toMatch(/no command/);
    expect(usageError(['explode'])).toMatch(/unknown command "explode"/);
    expect(usageError(['import', 'f.csv'])).toMatch(/--source/);
    expect(usageError(['status'])).toMatch(/status needs <id>/);
    expect(usageError(['status', 'abc'])).toMatch(/"abc" is not an import id/);
    expect(usageError(['status', '0'])).toMatch(/not an import id/);
    expect(usageError(['status', '1', '2'])).toMatch(/unexpected argument "2"/);
    expect(usageError(['status', '1', '--source', 'nana'])).toMatch(/--source is not an option of status/);
    expect(usageError(['list', '--page', '-1'])).toMatch(/--page/);
    expect(usageError(['list', '--frobnicate'])).toMatch(/--frobnicate/);
    expect(usageError(['sources'], { FERRY_TOKEN: 't', FERRY_URL: 'ftp://x' })).toMatch(/http/);
  });

  it('gives help without needing a token', () => {
    expect(parseCli(['--help'], {})).toEqual({ kind: 'help' });
    expect(parseCli(['help', 'import'], {})).toEqual({ kind: 'help', topic: 'import' });
    expect(parseCli(['errors', '-h'], {})).toEqual({ kind: 'help', topic: 'errors' });
  });
});

describe('exit codes', () => {
  it('are 0 for completed and validated imports and distinct for each bad end', () => {
    expect(exitCodeForStatus('completed')).toBe(EXIT.OK);
    expect(exitCodeForStatus('validated')).toBe(EXIT.OK);
    const bad = [
      exitCodeForStatus('rolled_back'),
      exitCodeForStatus('failed'),
      exitCodeForStatus('expired'),
      EXIT.FILE_REJECTED,
    ];
    expect(new Set(bad).size).toBe(4);
    expect(bad).not.toContain(EXIT.OK);
    expect(new Set(Object.values(EXIT)).size).toBe(Object.keys(EXIT).length);
  });
});
