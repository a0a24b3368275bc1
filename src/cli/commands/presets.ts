import { listPresets, parseOverrides, resolvePreset, SETTINGS, type SettingKey } from '../../config/presets';
import type { Command } from '../command';

export const command: Command = {
  name: 'presets',
  summary: 'list presets',
  usage: `usage: xalign presets [NAME] [--set key=value ...] [--json]

Without NAME: every preset with its purpose. With NAME: its settings after the
overrides (--set, repeatable; lists use "+", e.g. --set languages=zh+tr), each with
its meaning. Unknown keys and wrong types are errors.`,
  options: { set: { type: 'string', multiple: true } },
  async run(ctx) {
    const [name] = ctx.positionals;
    if (name === undefined) {
      const value = listPresets().map((p) => ({ name: p.name, purpose: p.purpose, settings: p.settings }));
      return { value, text: value.map((p) => `${p.name.padEnd(10)} ${p.purpose}`).join('\n') };
    }
    const overrides = parseOverrides(((ctx.flags.set as string[] | undefined) ?? []).join(','), '--set');
    const resolved = resolvePreset(name, overrides, '--set');
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
