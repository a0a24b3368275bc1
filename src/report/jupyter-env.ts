/**
 * Where Jupyter keeps its files when the project starts it (`xalign lab`, the notebook
 * runner of `xalign reproduce`): inside the project, never in the user's home folder.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';

/** The folder, inside the git-ignored `.cache/`, that holds Jupyter's own files. */
export function jupyterHome(root: string): string {
  return path.join(root, '.cache', 'jupyter');
}

/**
 * The environment for Jupyter processes started for the project: the project's
 * kernelspec on `JUPYTER_PATH`, and Jupyter's and IPython's writable folders (config,
 * data such as the notebook signature database, runtime such as connection and server
 * files) under `.cache/jupyter/`, so that nothing is written to the home folder. A
 * folder the caller's environment already sets is kept. The project's folders are
 * created here: IPython falls back to a temporary folder, with a warning, when its
 * folder's parent does not exist yet.
 */
export function projectJupyterEnv(root: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const home = jupyterHome(root);
  const folders: Record<string, string> = {
    JUPYTER_CONFIG_DIR: path.join(home, 'config'),
    JUPYTER_DATA_DIR: path.join(home, 'data'),
    JUPYTER_RUNTIME_DIR: path.join(home, 'runtime'),
    IPYTHONDIR: path.join(home, 'ipython'),
  };
  const env: NodeJS.ProcessEnv = { ...base, JUPYTER_PATH: [root, base.JUPYTER_PATH].filter(Boolean).join(path.delimiter) };
  for (const [name, dir] of Object.entries(folders)) {
    if (base[name]) env[name] = base[name];
    else {
      fs.mkdirSync(dir, { recursive: true });
      env[name] = dir;
    }
  }
  return env;
}
