/**
 * One experiment worker process (src/experiments/pool.ts): reads a {@link WorkerJob} as
 * JSON on stdin, selects the same backend as its parent, runs the spec with
 * {@link runTune} into the shared results store, and writes its training events as JSON
 * lines on stdout. Exit 0 means the result is in the store.
 */

import { selectBackend } from '../backend';
import type { WorkerJob } from './pool';
import { runTune } from './runner';
import { ResultStore } from './store';

async function main(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  const job = JSON.parse(Buffer.concat(chunks).toString('utf8')) as WorkerJob;
  const backend = await selectBackend(job.backend);
  if (backend.name !== job.backend) throw new Error(`worker: asked for backend ${job.backend}, got ${backend.name}`);
  await runTune(job.spec, {
    store: new ResultStore(job.storeRoot),
    preset: job.preset,
    backend: backend.name,
    command: job.command,
    baseDir: job.baseDir,
    onEvent: (e) => process.stdout.write(`${JSON.stringify(e)}\n`),
  });
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
