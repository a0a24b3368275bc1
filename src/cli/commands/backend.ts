import { SETTINGS } from '../../config/presets';
import { sessionFromFlags } from '../../session';
import { type Command, UsageError } from '../command';

/** The names `xalign backend NAME` takes: those of the preset setting `backend`. */
const NAMES: readonly string[] = SETTINGS.backend.choices;

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
    const [name, extra] = ctx.positionals;
    if (extra !== undefined) throw new UsageError(`backend: one NAME only, got also "${extra}"`);
    if (name !== undefined && !NAMES.includes(name)) throw new UsageError(`backend: NAME must be one of ${NAMES.join(', ')}, got "${name}"`);
    const choice = (await sessionFromFlags('backend', name !== undefined ? { backend: name } : {})).backend;
    const text = [
      `backend: ${choice.name}`,
      `why: ${choice.reason}`,
      ...choice.probes.map((p) => `  ${p.available ? 'ok ' : 'no '} ${p.name.padEnd(10)} ${p.detail}`),
    ].join('\n');
    return { value: choice, text };
  },
};
