/**
 * `xalign lab` against real Jupyter: stopping it (SIGTERM to xalign, or to `npm run
 * lab`) stops the Jupyter server and the kernels it started, leaves no process behind,
 * and writes nothing to the home folder (Jupyter's files go to .cache/jupyter/). And the
 * supervisor alone, on a stand-in server that ignores SIGTERM: it is killed after the
 * grace period, with the process it started in a session of its own, as kernels are.
 */
import { strict as assert } from 'node:assert';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { descendants, procStat, superviseGroup } from '../../src/cli/commands/lab-process';
import { jupyterHome } from '../../src/report/jupyter-env';
import { findJupyterPython } from '../../src/report/reproduce';

const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'bin/xalign.cjs');

/** Why these tests cannot run here, or false. */
function skipReason(): string | false {
  if (!fs.existsSync('/proc/self/stat')) return 'no /proc here: the orphan check reads the process tree from it';
  let python: string;
  try {
    python = findJupyterPython();
  } catch {
    return 'Jupyter (nbclient) is not installed: run `npm run setup`';
  }
  if (spawnSync(python, ['-c', 'import notebook'], { stdio: 'ignore' }).status !== 0) {
    return `Jupyter Notebook (python module "notebook") is not installed for ${python}: run \`npm run setup\``;
  }
  return false;
}
const skip = skipReason();
const npmMissing = spawnSync('npm', ['--version'], { stdio: 'ignore' }).status !== 0 ? 'npm is not on PATH' : false;

/** A process counts as running unless it is gone or a zombie (dead, waiting to be reaped). */
function running(pid: number): boolean {
  const stat = procStat(pid);
  return stat !== null && stat.state !== 'Z';
}

function cmdline(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const got = await probe();
    if (got !== undefined) return got;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

interface Lab {
  child: ChildProcess;
  base: string;
  token: string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Every process seen below `child`, for the final check and the clean-up. */
  seen: Set<number>;
}

/**
 * Runs `command args` (which starts `xalign lab --port 0`), waits until the server
 * answers, runs `body` on it, and then kills whatever it left running, so that a failing
 * test does not leave a server behind either.
 */
async function withLab<T>(command: string, args: string[], env: NodeJS.ProcessEnv, body: (lab: Lab) => Promise<T>): Promise<T> {
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout!.resume();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const lab: Lab = { child, base: '', token: '', stderr: () => err, exited, seen: new Set() };
  try {
    const [, base, token] = await until('the "xalign lab: open URL" line', 60_000, () => {
      if (child.exitCode !== null) throw new Error(`lab exited early (${child.exitCode}): ${err}`);
      return /xalign lab: open (http:\/\/[^/]+)\/tree\/notebooks\?token=([0-9a-f]+)/.exec(err) ?? undefined;
    });
    [lab.base, lab.token] = [base!, token!];
    await until('the server to answer', 60_000, () => api(lab, 'GET', '/api/status').then((r) => (r.ok ? true : undefined), () => undefined));
    return await body(lab);
  } finally {
    for (const p of [child.pid!, ...lab.seen, ...descendants(child.pid!)]) if (running(p)) process.kill(p, 'SIGKILL');
  }
}

function api(lab: Lab, method: string, route: string, body?: unknown): Promise<Response> {
  return fetch(lab.base + route, {
    method,
    headers: { Authorization: `token ${lab.token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
}

/**
 * Starts a project kernel through the server, as opening a notebook does, and returns
 * its process (found by its connection file, which must lie in the project's runtime folder).
 */
async function startKernel(lab: Lab): Promise<{ pid: number; connectionFile: string }> {
  const r = await api(lab, 'POST', '/api/kernels', { name: 'tslab' });
  const text = await r.text();
  assert.equal(r.status, 201, `starting a kernel: ${r.status} ${text}`);
  const { id } = JSON.parse(text) as { id: string };
  const kernel = await until('the kernel process', 60_000, () => {
    for (const pid of descendants(lab.child.pid!)) {
      const m = new RegExp(`(\\S*kernel-${id}\\.json)`).exec(cmdline(pid));
      if (m) return { pid, connectionFile: m[1]! };
    }
    return undefined;
  });
  assert.ok(
    kernel.connectionFile.startsWith(path.join(jupyterHome(ROOT), 'runtime') + path.sep),
    `connection file outside the project: ${kernel.connectionFile}`,
  );
  return kernel;
}

/** The processes of `pids` still running, with their command lines. */
function stillRunning(pids: Iterable<number>): string[] {
  return [...pids].filter(running).map((p) => `${p}: ${cmdline(p)}`);
}

/**
 * Starts a kernel, stops `lab` with SIGTERM to its top process, waits for that process
 * to exit, and returns how it exited and the kernel; the caller checks what is left.
 */
async function startKernelAndTerminate(lab: Lab) {
  const kernel = await startKernel(lab);
  descendants(lab.child.pid!).forEach((p) => lab.seen.add(p));
  const server = [...lab.seen].find((p) => / -m notebook /.test(cmdline(p)));
  assert.ok(server, `no Jupyter server below ${lab.child.pid}: ${[...lab.seen].map(cmdline).join('; ')}`);
  lab.child.kill('SIGTERM');
  const end = await Promise.race([
    lab.exited,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no exit within 30 s of SIGTERM\n${lab.stderr()}`)), 30_000)),
  ]);
  return { end, kernel };
}

test('SIGTERM to xalign lab stops Jupyter and its kernel before it exits; nothing is written to HOME', { skip, timeout: 300_000 }, async () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'xalign-lab-home-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home,
    // keep a Jupyter installed with `pip install --user` importable under the temporary HOME
    PYTHONUSERBASE: process.env.PYTHONUSERBASE ?? path.join(os.homedir(), '.local'),
  };
  for (const v of ['JUPYTER_CONFIG_DIR', 'JUPYTER_DATA_DIR', 'JUPYTER_RUNTIME_DIR', 'IPYTHONDIR']) delete env[v];
  await withLab(process.execPath, [BIN, 'lab', '--port', '0'], env, async (lab) => {
    const { end, kernel } = await startKernelAndTerminate(lab);
    // xalign exits only after Jupyter has: nothing may be running at this point
    assert.deepEqual(stillRunning(lab.seen), [], `left running after xalign exited\n${lab.stderr()}`);
    assert.ok(!fs.existsSync(kernel.connectionFile), 'the kernel was killed, not shut down (its connection file is still there)');
    assert.deepEqual(end, { code: 143, signal: null }, lab.stderr());
    assert.match(lab.stderr(), /xalign lab: SIGTERM: stopping Jupyter/);
  });
  assert.deepEqual(fs.readdirSync(home), [], 'lab wrote to the home folder');
  fs.rmSync(home, { recursive: true, force: true });
});

test('SIGTERM to `npm run lab` stops xalign, Jupyter and its kernel', { skip: skip || npmMissing, timeout: 300_000 }, async () => {
  await withLab('npm', ['run', '--silent', 'lab', '--', '--port', '0'], process.env, async (lab) => {
    const { kernel } = await startKernelAndTerminate(lab);
    // npm exits at once; xalign, orphaned, notices its parent is gone and stops Jupyter
    const left = await until('xalign, Jupyter and the kernel to exit', 30_000, () => {
      const left = stillRunning(lab.seen);
      return left.length === 0 ? left : undefined;
    }).catch(() => stillRunning(lab.seen));
    assert.deepEqual(left, [], `left running 30 s after npm exited\n${lab.stderr()}`);
    assert.ok(!fs.existsSync(kernel.connectionFile), 'the kernel was killed, not shut down (its connection file is still there)');
    assert.match(lab.stderr(), /stopping Jupyter/);
  });
});

test('a server that ignores the stop signal is killed after the grace period, with what it started', {
  skip: !fs.existsSync('/proc/self/stat')
    ? 'no /proc here: the supervisor finds the server\'s children through it'
    : spawnSync('setsid', ['true']).status !== 0 ? 'no setsid here (util-linux) to start the stand-in kernel' : false,
}, async () => {
  const handlers = process.listenerCount('SIGTERM');
  // sh ignores SIGTERM and SIGINT; its child (a stand-in kernel) inherits that and has a session of its own
  const child = spawn('sh', ['-c', 'trap "" TERM INT; setsid sleep 300 & echo $!; wait'], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
  const kernel = await new Promise<number>((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
  const lines: string[] = [];
  try {
    const outcome = superviseGroup(child, { graceMs: 500, log: (l) => lines.push(l) });
    process.kill(process.pid, 'SIGTERM');
    process.kill(process.pid, 'SIGINT'); // a repeat: ignored
    const end = await outcome;
    assert.deepEqual(end, { code: null, signal: 'SIGKILL', received: 'SIGTERM', killed: true });
    assert.equal(lines.filter((l) => /stopping Jupyter/.test(l)).length, 1, lines.join('\n'));
    assert.match(lines.at(-1)!, /did not exit within 0.5 s; killing it and 1 process/);
    await until('the stand-in kernel to be gone', 5_000, () => (running(kernel) ? undefined : true));
    assert.equal(process.listenerCount('SIGTERM'), handlers, 'the signal handlers are removed');
  } finally {
    for (const p of [child.pid!, kernel]) if (running(p)) process.kill(p, 'SIGKILL');
  }
});
