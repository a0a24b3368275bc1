import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as net from 'node:net';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../../provenance';
import { findJupyterPython } from '../../report/reproduce';
import type { Command } from '../command';

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
("TypeScript (xalign)", found through JUPYTER_PATH; nothing is written to your global
Jupyter folders) and prints the URL to open. Stop it with Ctrl-C.`,
  options: { port: { type: 'string', default: '8888' }, ip: { type: 'string', default: '127.0.0.1' } },
  async run(ctx) {
    const python = findJupyterPython();
    const port = await freePort(Number(ctx.flags.port));
    const ip = ctx.flags.ip as string;
    const token = randomBytes(16).toString('hex');
    const env = { ...process.env, JUPYTER_PATH: [PROJECT_ROOT, process.env.JUPYTER_PATH].filter(Boolean).join(path.delimiter) };
    const args = ['-m', 'notebook', '--no-browser', `--ip=${ip}`, `--port=${port}`, '--port-retries=0',
      `--NotebookApp.token=${token}`, `--notebook-dir=${PROJECT_ROOT}`];
    if (process.getuid?.() === 0) args.push('--allow-root'); // containers and CI run as root
    const url = `http://${ip}:${port}/tree/notebooks?token=${token}`;
    ctx.log(`xalign lab: open ${url}`);
    const child = spawn(python, args, { env, stdio: ['ignore', 'ignore', 'inherit'], cwd: PROJECT_ROOT });
    const code: number = await new Promise((resolve) => child.on('close', (c) => resolve(c ?? 0)));
    return { value: { url, exitCode: code }, text: `Jupyter exited with code ${code}`, exitCode: code };
  },
};
