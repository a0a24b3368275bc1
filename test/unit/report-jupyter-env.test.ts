/** Where Jupyter writes when the project starts it (src/report/jupyter-env.ts). */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { jupyterHome, projectJupyterEnv } from '../../src/report/jupyter-env';

test('jupyter env: the kernelspec on JUPYTER_PATH, its own folders created inside the project, a folder the user set kept', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'xalign-jenv-'));
  try {
    const env = projectJupyterEnv(root, { JUPYTER_PATH: '/elsewhere', IPYTHONDIR: '/mine' });
    assert.equal(env.JUPYTER_PATH, [root, '/elsewhere'].join(path.delimiter));
    assert.equal(env.IPYTHONDIR, '/mine');
    for (const name of ['JUPYTER_CONFIG_DIR', 'JUPYTER_DATA_DIR', 'JUPYTER_RUNTIME_DIR'] as const) {
      assert.ok(env[name]!.startsWith(jupyterHome(root) + path.sep), name);
      assert.ok(fs.statSync(env[name]!).isDirectory(), `${name} exists, so IPython and Jupyter do not fall back to a temporary folder`);
    }
    assert.ok(!fs.existsSync(path.join(jupyterHome(root), 'ipython')), 'a folder the user set is not created');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
