import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as net from 'node:net';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../../provenance';
import { findJupyterPython } from '../../report/reproduce';
import type { Command } from '../command';
import { numberFlag } from '../inputs';
import { jupyterHome, projectJupyterEnv } from '../../report/jupyter-env';
import { signalExitCode, STOP_GRACE_MS, superviseGroup } from './lab-process';

/** `preferred` if it is free on 127.0.0.1, else any free port (0 asks for any). */
function freePort(preferred: number): Promise<number> {
  return new Promise((resolve) => {
    const tryPort = (port: number) => {
      const srv = net.createServer();
      srv.once('error', () => (port === 0 ? resolve(preferred) : tryPort(0)));
      srv.listen(port, '127.0.0.1', () => {
        const got = (srv.address() as net.AddressInfo).port;
        srv.close(() => resolve(got));
      });
    };
    tryPort(preferred);
  });
}

export const command: Command = {
  name: 'lab',
  summary: 'start Jupyter Notebook',
  usage: `usage: xalign lab [--port N] [--ip ADDRESS]

Starts Jupyter Notebook on the project folder with the project's own kernel
("TypeScript (xalign)", found through JUPYTER_PATH) and prints the URL to open.
Jupyter keeps its own files (runtime, data, config, IPython) in
${path.relative(PROJECT_ROOT, jupyterHome(PROJECT_ROOT))}/, not in your home folder.
Stop it with Ctrl-C, or SIGTERM to xalign or to npm: the server shuts its kernels
down and exits (or is killed after ${STOP_GRACE_MS / 1000} s), then xalign exits with
128 + the signal's number.`,
  options: { port: { type: 'string', default: '8888' }, ip: { type: 'string', default: '127.0.0.1' } },
  async run(ctx) {
    const wanted = numberFlag(ctx.flags, 'port', { integer: true, min: 0, max: 65535 }, 'lab')!;
    const python = findJupyterPython();
    const port = await freePort(wanted);
    const ip = ctx.flags.ip as string;
    const token = randomBytes(16).toString('hex');
    const args = ['-m', 'notebook', '--no-browser', `--ip=${ip}`, `--port=${port}`, '--port-retries=0',
      `--NotebookApp.token=${token}`, `--notebook-dir=${PROJECT_ROOT}`];
    if (process.getuid?.() === 0) args.push('--allow-root'); // containers and CI run as root
    const url = `http://${ip}:${port}/tree/notebooks?token=${token}`;
    ctx.log(`xalign lab: open ${url}`);
    // a process group of its own: a stop reaches Jupyter once, through superviseGroup
    const child = spawn(python, args, {
      env: projectJupyterEnv(PROJECT_ROOT), stdio: ['ignore', 'ignore', 'inherit'], cwd: PROJECT_ROOT, detached: true,
    });
    // npm (npm run, npx) sets npm_lifecycle_event; its SIGTERM ends only our parent sh
    const end = await superviseGroup(child, { log: ctx.log, stopWithParent: process.env.npm_lifecycle_event !== undefined });
    const exitCode = end.received ? signalExitCode(end.received) : end.code ?? (end.signal ? signalExitCode(end.signal) : 1);
    const how = end.received ? `stopped by ${end.received}${end.killed ? ' (killed after the grace period)' : ''}` : `exited with code ${end.code ?? end.signal}`;
    return { value: { url, exitCode, signal: end.received, killed: end.killed }, text: `Jupyter ${how}`, exitCode };
  },
};
