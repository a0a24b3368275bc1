/** Flags and helpers shared by `xalign world pretrain` and `xalign experiment`. */
import * as path from 'node:path';
import type { ResolvedPreset } from '../../config/presets';
import type { TrainEvent } from '../../train/trainer';
import { progressLine } from './train';
import type { CommandContext } from '../command';

/** The results store folder: --store, else out/experiments/PRESET. */
export function storeDir(ctx: CommandContext, preset: ResolvedPreset): string {
  return path.resolve((ctx.flags.store as string | undefined) ?? path.join('out', 'experiments', preset.name));
}

/** Progress lines on stderr, about 20 per phase. */
export function progressLogger(ctx: CommandContext): (e: TrainEvent & { phase: string }) => void {
  return (e) => {
    if (e.type === 'step') {
      const every = Math.max(1, Math.floor(e.totalSteps / 20));
      if (e.step % every === 0 || e.step === e.totalSteps) ctx.log(`${e.phase} ${progressLine(e)}`);
    } else if (e.type === 'resume') ctx.log(`${e.phase}: resumed from ${e.dir} at step ${e.step}`);
  };
}

export const SHARED_OPTIONS = {
  preset: { type: 'string' },
  set: { type: 'string', multiple: true },
  store: { type: 'string' },
} as const;
