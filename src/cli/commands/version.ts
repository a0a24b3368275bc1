import { gitCommit, runtimeVersions } from '../../provenance';
import type { Command } from '../command';

export const command: Command = {
  name: 'version',
  summary: 'print versions',
  usage: 'usage: xalign version [--json]\n\nPrints the version of xalign, its commit, Node.js and the main libraries.',
  options: {},
  async run() {
    const { xalign, ...libs } = runtimeVersions();
    const value = { xalign, commit: gitCommit(), ...libs };
    const text = `xalign ${xalign} (${value.commit})\n` + Object.entries(libs).map(([k, v]) => `  ${k} ${v}`).join('\n');
    return { value, text };
  },
};
