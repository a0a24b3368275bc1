import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? files(path.join(dir, d.name)) : /\.(ts|cjs|js)$/.test(d.name) ? [path.join(dir, d.name)] : [],
  );
}

test('no Math.random() in src/ or in the notebooks: randomness comes from a seeded Rng', () => {
  const root = path.resolve(__dirname, '../..');
  const offenders = [...files(path.join(root, 'src')), ...fs.readdirSync(path.join(root, 'notebooks')).map((f) => path.join(root, 'notebooks', f))]
    .filter((f) => /Math\.random\s*\(/.test(fs.readFileSync(f, 'utf8')))
    .map((f) => path.relative(root, f));
  assert.deepEqual(offenders, []);
});
