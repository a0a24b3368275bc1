import { selectBackend } from '../../backend';
import { presetFromEnv } from '../../config/presets';
import type { Command } from '../command';

export const command: Command = {
  name: 'backend',
  summary: 'pick the TensorFlow.js backend',
  usage: `usage: xalign backend [NAME] [--json]

Picks the TensorFlow.js backend the notebooks would use (NAME: auto, tensorflow,
webgpu, wasm or cpu; default: XALIGN_BACKEND, else the preset's setting) and says
what it tried and why it chose what it did. A forced backend that cannot start is an
error (exit 1).`,
  options: {},
  async run(ctx) {
    const choice = await selectBackend(ctx.positionals[0] ?? presetFromEnv().settings.backend);
    const text = [
      `backend: ${choice.name}`,
      `why: ${choice.reason}`,
      ...choice.probes.map((p) => `  ${p.available ? 'ok ' : 'no '} ${p.name.padEnd(10)} ${p.detail}`),
    ].join('\n');
    return { value: choice, text };
  },
};
