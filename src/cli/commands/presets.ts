import { listPresets, SETTINGS, type SettingKey } from '../../config/presets';
import { presetFromFlags } from '../../session';
import { type Command, UsageError } from '../command';
import { presetFlags } from '../inputs';

export const command: Command = {
  name: 'presets',
  summary: 'list presets',
  usage: `usage: xalign presets [NAME] [--set key=value ...] [--json]

Without NAME: every preset with its purpose. With NAME: its settings after the
overrides (XALIGN_SET, then --set, repeatable; lists use "+", e.g. --set
languages=zh+tr), each with its meaning. Unknown keys and wrong types are errors,
with or without NAME.`,
  options: { set: { type: 'string', multiple: true } },
  async run(ctx) {
    const [name, extra] = ctx.positionals;
    const flags = presetFlags(ctx.flags);
    if (extra !== undefined) throw new UsageError(`presets: one NAME only, got also "${extra}"`);
    if (name === undefined) {
      const value = listPresets().map((p) => {
        const resolved = presetFromFlags({ ...flags, preset: p.name });
        return { name: p.name, purpose: p.purpose, settings: resolved.settings, overridden: resolved.overridden };
      });
      const changed = [...new Set(value.flatMap((p) => p.overridden))];
      const note = changed.length ? `\n(settings shown with XALIGN_SET and --set applied: ${changed.join(', ')})` : '';
      return { value, text: value.map((p) => `${p.name.padEnd(10)} ${p.purpose}`).join('\n') + note };
    }
    const resolved = presetFromFlags({ ...flags, preset: name, presetSource: 'presets NAME' });
    const lines = (Object.keys(SETTINGS) as SettingKey[]).map((k) => {
      const v = resolved.settings[k];
      const mark = resolved.overridden.includes(k) ? '*' : ' ';
      return `${mark} ${k.padEnd(24)} ${JSON.stringify(v).padEnd(28)} ${SETTINGS[k].doc}`;
    });
    return {
      value: resolved,
      text: `preset ${resolved.name} (config ${resolved.configHash}; * = overridden)\n${lines.join('\n')}`,
    };
  },
};
