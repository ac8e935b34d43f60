import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, logDestination } from '../../src/logger';

function sink() {
  const lines: string[] = [];
  const out = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { out, lines };
}

describe('logDestination: log lines for a person on a terminal, JSON otherwise', () => {
  it('writes one short line with the time, level, process name and message on a terminal', () => {
    const { out, lines } = sink();
    createLogger('info', 'ferry-api', logDestination(undefined, true, out)).info({ importId: 7 }, 'import started');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\S*\[\d\d:\d\d:\d\d\]\S* \S*INFO\S* \S*\(ferry-api\)/);
    expect(lines[0]).toContain('import started');
    expect(lines[0]).toContain('"importId":7');
    expect(lines[0]).not.toContain('hostname');
  });

  it('leaves JSON (pino standard output) when the output is not a terminal', () => {
    expect(logDestination(undefined, false)).toBeUndefined();
  });

  it('follows LOG_FORMAT over the terminal check', () => {
    expect(logDestination('json', true)).toBeUndefined();
    const { out, lines } = sink();
    createLogger('info', 'ferry-worker', logDestination('pretty', false, out)).warn('slow batch');
    expect(lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\] WARN \(ferry-worker\): slow batch$/);
  });
});
