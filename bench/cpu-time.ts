import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { withClient } from '../src/db/with-client';

/** Kernel clock ticks per second, the unit of /proc/<pid>/stat's CPU times. */
const TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

interface Stat {
  ppid: number;
  /** utime + stime + cutime + cstime: the process's CPU and that of its children it has waited for. */
  ticks: number;
}

/** The fields of a /proc stat file after the name, or null once it has gone. The name (field 2) may hold spaces: fields are read after its ')'. */
function readStatFields(file: string): string[] | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  // fields[0] is the state (field 3): ppid is field 4, utime..cstime fields 14..17.
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}

/** A process's /proc stat, or null once it has gone. */
function readStat(pid: number): Stat | null {
  const fields = readStatFields(`/proc/${pid}/stat`);
  return (
    fields && {
      ppid: Number(fields[1]),
      ticks: Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]),
    }
  );
}

/**
 * CPU seconds of a process's main thread alone (its thread id is its pid): the one thread that runs
 * its JavaScript, while the process's figure adds V8's GC helpers, libuv's pool and the Temporal core.
 * Near the phase's wall time, the process is bound by its JavaScript thread.
 */
export function mainThreadCpuSeconds(pid: number): number {
  const fields = readStatFields(`/proc/${pid}/task/${pid}/stat`);
  return fields ? (Number(fields[11]) + Number(fields[12])) / TICKS : 0;
}

/** CPU seconds a process has used so far, its threads and waited-for children included; 0 once it has gone. */
export function processCpuSeconds(pid: number): number {
  return (readStat(pid)?.ticks ?? 0) / TICKS;
}

/** The PostgreSQL server process on this machine serving `databaseUrl`, or null when it runs elsewhere. */
async function findPostmaster(databaseUrl: string): Promise<number | null> {
  // On another host the backend's pid may be any process here: only a local postgres backend counts,
  // read while its connection is open.
  const isPostgres = (pid: number) => {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
    } catch {
      return false;
    }
  };
  return withClient(databaseUrl, async (c) => {
    const backend = (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    const postmaster = isPostgres(backend) ? readStat(backend)?.ppid : undefined;
    return postmaster && isPostgres(postmaster) ? postmaster : null;
  });
}

/**
 * CPU seconds the whole PostgreSQL server has used so far: the postmaster, every live child (each
 * backend, the checkpointer, the WAL writer) and every child that has exited, which the kernel adds
 * to the postmaster's own children's times once it reaps it. Differences of two readings are what
 * the server spent in between, the connections that came and went included. A child reaped while
 * the children are being read would be counted in neither place (or in both), so the reading is
 * taken again until the postmaster reaped nothing meanwhile.
 */
function postgresCpuSeconds(postmaster: number): number {
  for (let attempt = 0; ; attempt++) {
    const before = readStat(postmaster)?.ticks ?? 0;
    let children = 0;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const child = readStat(Number(entry));
      if (child?.ppid === postmaster) children += child.ticks;
    }
    const after = readStat(postmaster)?.ticks ?? 0;
    if (after === before || attempt === 20) return (after + children) / TICKS;
  }
}

interface CpuReading {
  at: number;
  seconds: Record<string, number>;
  /** Main threads of the named processes: part of their process's seconds, never added to the total again. */
  mainThreads: Record<string, number>;
}

/** The CPU seconds so far of each named process, of the PostgreSQL server when it is local, and of this process. */
function readCpu(
  pids: Record<string, number | undefined>,
  postmaster: number | null,
  mainThreadsOf: readonly string[],
): CpuReading {
  const own = process.cpuUsage();
  const seconds: Record<string, number> = postmaster ? { postgres: postgresCpuSeconds(postmaster) } : {};
  seconds.bench = (own.user + own.system) / 1e6;
  const mainThreads: Record<string, number> = {};
  for (const [name, pid] of Object.entries(pids)) {
    if (!pid) continue;
    seconds[name] = processCpuSeconds(pid);
    if (mainThreadsOf.includes(name)) mainThreads[name] = mainThreadCpuSeconds(pid);
  }
  return { at: performance.now(), seconds, mainThreads };
}

export interface CpuSpent {
  /** CPU seconds of each process. */
  seconds: Record<string, number>;
  /** CPU seconds of the main thread of each process asked for (Node's JavaScript thread), within its process's seconds. */
  mainThreadSeconds: Record<string, number>;
  wallSeconds: number;
  /** Their sum over the wall time: near the core count, the span is bound by CPU in sum, whichever process waits. */
  coresBusy: number;
}

function spent(from: CpuReading, to: CpuReading): CpuSpent {
  const tenths = (x: number) => Math.round(x * 10) / 10;
  const seconds: Record<string, number> = {};
  let total = 0;
  for (const name of Object.keys(from.seconds)) {
    seconds[name] = tenths(to.seconds[name] - from.seconds[name]);
    total += to.seconds[name] - from.seconds[name];
  }
  const mainThreadSeconds: Record<string, number> = {};
  for (const name of Object.keys(from.mainThreads))
    mainThreadSeconds[name] = tenths(to.mainThreads[name] - from.mainThreads[name]);
  const wallSeconds = (to.at - from.at) / 1000;
  return {
    seconds,
    mainThreadSeconds,
    wallSeconds: tenths(wallSeconds),
    coresBusy: Math.round((total / wallSeconds) * 100) / 100,
  };
}

/**
 * The CPU each process spends in each phase of an import: a reading when a phase begins (the caller
 * polls, so a phase starts within one poll of when it did) and one at the end.
 */
export class CpuByPhase {
  private readonly marks: { phase: string; reading: CpuReading }[] = [];
  private postmaster: Promise<number | null> | undefined;

  constructor(
    private readonly databaseUrl: string,
    private readonly pids: Record<string, number | undefined>,
    /** Processes whose main thread is read on its own too: Node processes, whose JavaScript runs on it. */
    private readonly mainThreadsOf: readonly string[] = [],
  ) {}

  /** Marks the start of `phase`; nothing if it is the phase already running. */
  async enter(phase: string): Promise<void> {
    if (this.marks.at(-1)?.phase === phase) return;
    this.postmaster ??= findPostmaster(this.databaseUrl);
    this.marks.push({ phase, reading: readCpu(this.pids, await this.postmaster, this.mainThreadsOf) });
  }

  /** What was spent in each phase, and in all of them; without `postgres` when the server is not on this machine. */
  async end(): Promise<{ total: CpuSpent; byPhase: Record<string, CpuSpent> }> {
    const last = readCpu(this.pids, await this.postmaster!, this.mainThreadsOf);
    const byPhase: Record<string, CpuSpent> = {};
    this.marks.forEach((mark, i) => {
      byPhase[mark.phase] = spent(mark.reading, this.marks[i + 1]?.reading ?? last);
    });
    return { total: spent(this.marks[0].reading, last), byPhase };
  }
}
