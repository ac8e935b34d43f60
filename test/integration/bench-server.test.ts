import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CpuByPhase } from '../../bench/cpu-time';
import { footprint, footprintSince } from '../../bench/server-footprint';
import { describeSettings, serverSettings, WRITE_SETTINGS } from '../../bench/server-settings';
import { withClient } from '../../src/db/with-client';
import { createTestDatabase, dropTestDatabase } from '../support/test-database';

const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

describe('what a benchmark result records of the database server', () => {
  it('reads every write setting from the real server', async () => {
    const settings = await serverSettings(ADMIN_URL);
    // A misspelled name would be "unknown" and the result would silently lack it.
    for (const name of WRITE_SETTINGS) expect(settings[name], name).not.toBe('unknown');
    expect(settings.server_version).toMatch(/^\d+/);
    expect(settings.shared_buffers).toMatch(/^\d+[kMG]B$/);
    expect(describeSettings(settings)).toContain(`shared_buffers ${settings.shared_buffers}`);
  });

  it('counts the WAL written and the growth of the database between two points', async () => {
    const name = `ferry_footprint_${randomBytes(4).toString('hex')}`;
    const url = await createTestDatabase(name);
    try {
      const before = await footprint(url);
      // About 20 MB of rows: more than a megabyte of each, whatever else the server writes meanwhile.
      await withClient(url, (db) =>
        db.query(`CREATE TABLE filler AS SELECT g, repeat('x', 200) AS pad FROM generate_series(1, 80000) g`),
      );
      const { walMb, databaseMb } = await footprintSince(url, before);
      expect(databaseMb).toBeGreaterThanOrEqual(15);
      expect(walMb).toBeGreaterThanOrEqual(15);
    } finally {
      await dropTestDatabase(name);
    }
  });

  it('counts the CPU the server spent in each phase, on connections that have closed since too', async () => {
    const cpu = new CpuByPhase(ADMIN_URL, { self: process.pid });
    await cpu.enter('idle');
    await new Promise((r) => setTimeout(r, 300));
    await cpu.enter('busy');
    // About a second of one backend's CPU, on a connection closed before the reading that ends the phase.
    await withClient(ADMIN_URL, (db) => db.query('SELECT count(*) FROM generate_series(1, 20000000)'));
    const { total, byPhase } = await cpu.end();
    expect(byPhase.busy.seconds.postgres).toBeGreaterThanOrEqual(0.5);
    expect(byPhase.idle.seconds.postgres).toBeLessThan(byPhase.busy.seconds.postgres);
    expect(byPhase.busy.coresBusy).toBeGreaterThan(0.3);
    expect(total.seconds.postgres).toBeGreaterThanOrEqual(byPhase.busy.seconds.postgres);
    expect(total.wallSeconds).toBeGreaterThanOrEqual(byPhase.idle.wallSeconds + byPhase.busy.wallSeconds - 0.1);
  });

  it("reads a Node process's main thread apart from its other threads, without counting it twice", async () => {
    // Phases begin after the child's start-up: first a second thread runs a loop while the main
    // thread waits, then the main thread runs the same loop on its own.
    const loop = '{ let x = 0; for (let i = 0; i < 1.2e9; i++) x = (x + i) | 0; }';
    const script = `
      const { Worker } = require('node:worker_threads');
      process.stdin.once('data', () => new Worker(${JSON.stringify(loop)}, { eval: true }).on('exit', () => {
        process.stdout.write('thread done;');
        process.stdin.once('data', () => { ${loop} process.stdout.write('main done;'); });
      }));
      process.stdout.write('ready;');
      setTimeout(() => {}, 60000);`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    // A child that failed ends the wait too, and the assertions below then fail.
    const waitFor = async (text: string) => {
      while (!out.includes(text) && child.exitCode === null) await new Promise((r) => setTimeout(r, 20));
    };
    try {
      const cpu = new CpuByPhase(ADMIN_URL, { child: child.pid }, ['child']);
      await waitFor('ready;');
      await cpu.enter('thread');
      child.stdin!.write('go\n');
      await waitFor('thread done;');
      await cpu.enter('main');
      child.stdin!.write('go\n');
      await waitFor('main done;');
      const { byPhase } = await cpu.end();
      const { thread, main } = byPhase;
      expect(thread.seconds.child).toBeGreaterThan(0.1);
      expect(thread.mainThreadSeconds.child).toBeLessThan(0.5 * thread.seconds.child);
      expect(main.mainThreadSeconds.child).toBeGreaterThan(0.1);
      expect(main.mainThreadSeconds.child).toBeGreaterThanOrEqual(0.7 * main.seconds.child);
      expect(main.mainThreadSeconds.postgres).toBeUndefined();
      // The total adds each process once: the main thread is inside its process's figure.
      const sum = Object.values(main.seconds).reduce((a, b) => a + b, 0);
      expect(main.coresBusy).toBeCloseTo(sum / main.wallSeconds, 0);
    } finally {
      child.kill();
    }
  });
});
