import * as path from 'node:path';
import { defaultNotebooks } from '../../report/reproduce';
import { checkNotebook, cleanNotebookFile, readNotebook } from '../../report/notebook-files';
import { type Command, UsageError } from '../command';

export const command: Command = {
  name: 'notebooks',
  summary: 'check or clean notebooks',
  usage: `usage: xalign notebooks check|clean [FILE ...] [--json]

check  exits 1 and lists every committed notebook that carries outputs, execution
       counts or run metadata (default: notebooks/*.ipynb)
clean  strips them in place (what to run before committing)`,
  options: {},
  async run(ctx) {
    const [action, ...files] = ctx.positionals;
    const targets = files.length > 0 ? files.map((f) => path.resolve(f)) : defaultNotebooks();
    if (action === 'check') {
      const problems = targets.flatMap((f) => checkNotebook(readNotebook(f), path.relative(process.cwd(), f)));
      return {
        value: { checked: targets.length, problems },
        text: problems.length ? problems.join('\n') + '\nrun `npx xalign notebooks clean`' : `${targets.length} notebooks clean`,
        exitCode: problems.length ? 1 : 0,
      };
    }
    if (action === 'clean') {
      const changed = targets.filter((f) => cleanNotebookFile(f)).map((f) => path.relative(process.cwd(), f));
      return { value: { cleaned: changed }, text: changed.length ? `cleaned ${changed.join(', ')}` : 'nothing to clean' };
    }
    throw new UsageError(`notebooks: expected "check" or "clean", got ${action === undefined ? 'nothing' : `"${action}"`}`);
  },
};
