/**
 * Test helper: run a fixture script in a child Node process (through tsx, on the cpu
 * backend) that prints one JSON object per line, and kill it with SIGKILL the moment a
 * printed line satisfies `killWhen`. Used by the resume tests of the engine and of the
 * experiments runner.
 */
import { spawn } from 'node:child_process';

export function runJsonLinesChild<L>(
  script: string,
  args: string[],
  killWhen?: (line: L) => boolean,
): Promise<{ lines: L[]; killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, XALIGN_BACKEND: 'cpu' },
    });
    const lines: L[] = [];
    let [buf, err, killed] = ['', '', false];
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = JSON.parse(buf.slice(0, nl)) as L;
        buf = buf.slice(nl + 1);
        lines.push(line);
        if (killWhen && !killed && killWhen(line)) {
          killed = true;
          child.kill('SIGKILL');
        }
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code !== 0 && signal !== 'SIGKILL') reject(new Error(`child exited ${code}: ${err}`));
      else resolve({ lines, killed });
    });
  });
}
