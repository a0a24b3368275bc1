/**
 * How `xalign lab` runs Jupyter: inside the project (its folders and kernel), and
 * stopped together with xalign.
 *
 * Jupyter runs in a process group of its own, so that a terminal's Ctrl-C reaches it
 * only once, through xalign: a second SIGINT arriving while Jupyter shuts its kernels
 * down would abort that shutdown and leave the kernels running. On SIGINT, SIGTERM or
 * SIGHUP, xalign sends that group SIGTERM, Jupyter's clean stop (it shuts its kernels
 * down, then exits; SIGHUP would end it at once and leave the kernels running), waits a
 * bounded time for it to exit, then kills the group and the server's children.
 *
 * Started by npm (`npm run lab`, `npx xalign lab`), it also stops Jupyter when its own
 * parent goes away: npm passes SIGTERM only to the `sh -c` it runs the command in,
 * which dies without passing it on. (Started otherwise, e.g. under nohup from a shell
 * that then exits, it keeps running.)
 */

import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';

/** The signals that stop `xalign lab`; each sends STOP_SIGNAL to Jupyter's process group. */
export const FORWARDED_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * How long Jupyter may take to exit after STOP_SIGNAL before it is killed.
 * The server gives each kernel 5 s to answer a shutdown request, so 10 s covers that.
 */
export const STOP_GRACE_MS = 10_000;

/** What Jupyter gets when xalign is stopped: its server shuts the kernels down on it. */
export const STOP_SIGNAL: NodeJS.Signals = 'SIGTERM';

/** The exit code of a process ended by `signal`, as shells report it: 128 + its number. */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (os.constants.signals[signal] ?? 0);
}

/** Sends `signal` to a process, ignoring one that is already gone. */
function sendSignal(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
  }
}

/**
 * Every process below `pid` (children, their children, ...), read from /proc; empty
 * where there is no /proc. Kernels leave Jupyter's process group (each starts a session
 * of its own), so they are found through their parent instead.
 */
export function descendants(pid: number): number[] {
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return [];
  }
  const children = new Map<number, number[]>();
  for (const e of entries) {
    const stat = procStat(Number(e));
    if (!stat) continue;
    children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), Number(e)]);
  }
  const found: number[] = [];
  const walk = (p: number): void => {
    for (const c of children.get(p) ?? []) {
      found.push(c);
      walk(c);
    }
  };
  walk(pid);
  return found;
}

/** State letter (R, S, Z, ...) and parent of a process from /proc/PID/stat, or null when it is gone. */
export function procStat(pid: number): { state: string; ppid: number } | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "PID (COMMAND) STATE PPID ...": COMMAND may hold spaces and parentheses
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: state!, ppid: Number(ppid) };
  } catch {
    return null;
  }
}

export interface GroupOutcome {
  /** Jupyter's exit code, or null when a signal ended it. */
  code: number | null;
  /** The signal that ended Jupyter, if one did. */
  signal: NodeJS.Signals | null;
  /** The signal that stopped xalign (SIGHUP when its parent went away), if any. */
  received: NodeJS.Signals | null;
  /** Jupyter outlived the grace period and was killed. */
  killed: boolean;
}

/** How often xalign checks that its parent process is still there. */
const PARENT_POLL_MS = 500;

/**
 * Waits for `child`, started with `detached: true` (leader of its own process group),
 * to exit. While it runs, the first of FORWARDED_SIGNALS to reach this process, or,
 * with `stopWithParent`, the exit of this process's parent (counted as SIGHUP), sends
 * STOP_SIGNAL to the child's group; repeats are ignored (Ctrl-C under npm arrives
 * twice: from the terminal and forwarded by npm). If the group has not exited `graceMs`
 * after that, it and every process below the child are killed with SIGKILL.
 */
export function superviseGroup(
  child: ChildProcess,
  options: { graceMs?: number; stopWithParent?: boolean; log?: (line: string) => void } = {},
): Promise<GroupOutcome> {
  const pid = child.pid!;
  const log = options.log ?? (() => {});
  const graceMs = options.graceMs ?? STOP_GRACE_MS;
  const parent = process.ppid;
  return new Promise((resolve, reject) => {
    let received: NodeJS.Signals | null = null;
    let killed = false;
    let timer: NodeJS.Timeout | undefined;
    const killAll = () => {
      killed = true;
      const below = descendants(pid);
      log(`xalign lab: Jupyter did not exit within ${graceMs / 1000} s; killing it${below.length ? ` and ${below.length} process(es) it started` : ''}`);
      sendSignal(-pid, 'SIGKILL');
      below.forEach((p) => sendSignal(p, 'SIGKILL'));
    };
    const stop = (signal: NodeJS.Signals, why: string) => {
      if (received) return;
      received = signal;
      process.stderr.on('error', () => {}); // a reader gone with the parent must not end xalign before Jupyter
      log(`xalign lab: ${why}: stopping Jupyter (pid ${pid}) and its kernels`);
      sendSignal(-pid, STOP_SIGNAL);
      timer = setTimeout(killAll, graceMs);
    };
    const onSignal = (signal: NodeJS.Signals) => stop(signal, signal);
    const checkParent = () => {
      if (process.ppid !== parent) stop('SIGHUP', `parent process ${parent} exited`);
    };
    const watch = options.stopWithParent ? setInterval(checkParent, PARENT_POLL_MS) : undefined;
    const release = () => {
      clearTimeout(timer);
      clearInterval(watch);
      FORWARDED_SIGNALS.forEach((s) => process.removeListener(s, onSignal));
    };
    FORWARDED_SIGNALS.forEach((s) => process.on(s, onSignal));
    child.once('error', (e) => (release(), reject(e)));
    child.once('exit', (code, signal) => (release(), resolve({ code, signal, received, killed })));
  });
}
