/** One experiment worker process (see `workerMain` in src/experiments/pool.ts). Exit 0: the result is in the store. */
import { workerMain } from './pool';

workerMain().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
