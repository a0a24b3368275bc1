import { runTrainingFile } from '../../train/run-config';
import { describeStep, type TrainEvent } from '../../train/trainer';
import { type Command, UsageError } from '../command';
import { readJsonInput } from '../inputs';

/** A one-line progress bar for stderr. */
export function progressLine(e: Extract<TrainEvent, { type: 'step' }>): string {
  const width = 24;
  const filled = Math.round((width * e.step) / e.totalSteps);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${describeStep(e)}`;
}

export const command: Command = {
  name: 'train',
  summary: 'train a laboratory model from a JSON run file',
  usage: `usage: xalign train --config FILE.json [--fresh] [--json]

Trains the model the run file describes (see src/train/run-config.ts: out, tokenizer,
model, train, data) on the chosen backend, with checkpoints in OUT/checkpoints and the
final model in OUT/model. A run that was interrupted resumes from its last checkpoint
unless --fresh is given. Progress goes to stderr.`,
  options: { config: { type: 'string' }, fresh: { type: 'boolean', default: false } },
  async run(ctx) {
    const file = ctx.flags.config;
    if (typeof file !== 'string') throw new UsageError('train: --config FILE.json is required');
    const spec = readJsonInput(file, '--config'); // named errors for a missing, mis-encoded, empty or truncated file
    if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) throw new UsageError(`train: --config ${file}: expected a JSON object (a run file), got ${Array.isArray(spec) ? 'an array' : JSON.stringify(spec)}`);
    const tty = process.stderr.isTTY;
    let lastPrinted = 0;
    const { result, modelDir, backend } = await runTrainingFile(file, {
      resume: !ctx.flags.fresh,
      onEvent: (e) => {
        if (e.type === 'step') {
          const every = Math.max(1, Math.floor(e.totalSteps / 20));
          if (tty) process.stderr.write('\r' + progressLine(e) + (e.step === e.totalSteps ? '\n' : ''));
          else if (e.step % every === 0 || e.step === e.totalSteps || e.step - lastPrinted >= every) {
            ctx.log(progressLine(e));
            lastPrinted = e.step;
          }
        } else if (e.type === 'eval') ctx.log(`${tty ? '\n' : ''}eval at step ${e.step}: loss ${e.loss.toFixed(4)} (best ${e.best.toFixed(4)})`);
        else if (e.type === 'resume') ctx.log(`resumed from ${e.dir} at step ${e.step}`);
        else if (e.type === 'early-stop') ctx.log(`early stop at step ${e.step} (best eval loss ${e.best.toFixed(4)})`);
      },
    });
    const value = { modelDir, backend: backend.name, steps: result.steps, finalLoss: result.losses.at(-1), evals: result.evals, stoppedEarly: result.stoppedEarly, tokensPerSec: result.tokensPerSec };
    const text = [
      `trained ${result.steps} steps on ${backend.name}: final loss ${result.losses.at(-1)?.toFixed(4)}, ${result.tokensPerSec.toFixed(0)} tokens/s`,
      ...(result.evals.length ? [`last eval loss ${result.evals.at(-1)!.loss.toFixed(4)}`] : []),
      `model: ${modelDir}`,
    ].join('\n');
    return { value, text };
  },
};
