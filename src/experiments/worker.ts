/** One experiment worker process (see `workerMain` in src/experiments/pool.ts): runs the jobs it is sent; exit 0 when its stdin closes, 1 when a job failed. */
import { workerMain } from './pool';

workerMain().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
