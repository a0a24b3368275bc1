import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { checkNotebook, cleanNotebook, cleanNotebookFile, formatNotebook, type NotebookJson, readNotebook } from '../../src/report/notebook-files';

const dirty: NotebookJson = {
  cells: [
    { cell_type: 'markdown', id: 'a1', source: '# t', metadata: {} },
    { cell_type: 'code', id: 'b2', source: '1', metadata: { execution: { x: 1 }, tags: ['keep'] }, outputs: [{ output_type: 'stream' }], execution_count: 3 },
  ],
  metadata: { kernelspec: { name: 'tslab' } },
  nbformat: 4,
  nbformat_minor: 5,
};

test('checkNotebook names each problem by cell', () => {
  const problems = checkNotebook(dirty, 'x.ipynb');
  assert.deepEqual(problems, [
    'x.ipynb: cell 2 has 1 output(s)',
    'x.ipynb: cell 2 has execution_count 3',
    'x.ipynb: cell 2 has run metadata "execution"',
  ]);
  assert.match(checkNotebook({ ...dirty, metadata: { kernelspec: { name: 'python3' } } }, 'y')[3]!, /not the project's tslab kernel/);
});

test('cleaning removes outputs, counts and run metadata, keeps the rest, and is idempotent', () => {
  const clean = cleanNotebook(dirty);
  assert.deepEqual(checkNotebook(clean), []);
  assert.deepEqual(clean.cells[1]!.metadata, { tags: ['keep'] });
  assert.equal(clean.cells[1]!.source, '1');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xalign-nb-'));
  const file = path.join(dir, 'n.ipynb');
  fs.writeFileSync(file, JSON.stringify(dirty));
  assert.equal(cleanNotebookFile(file), true);
  assert.deepEqual(checkNotebook(readNotebook(file)), []);
  assert.equal(cleanNotebookFile(file), false);
  assert.equal(fs.readFileSync(file, 'utf8'), formatNotebook(clean));
});

test('the committed notebooks are clean', () => {
  const dir = path.resolve(__dirname, '../../notebooks');
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.ipynb'))) {
    assert.deepEqual(checkNotebook(readNotebook(path.join(dir, f)), f), []);
  }
});

test('a file that is not a notebook is a clear error', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xalign-nb-'));
  fs.writeFileSync(path.join(dir, 'bad.ipynb'), '{"cells": ');
  assert.throws(() => readNotebook(path.join(dir, 'bad.ipynb')), /bad\.ipynb: not a readable notebook/);
  fs.writeFileSync(path.join(dir, 'other.ipynb'), '{"a": 1}');
  assert.throws(() => readNotebook(path.join(dir, 'other.ipynb')), /other\.ipynb: not a notebook/);
});

test('cells without an id (required by nbformat 4.5) are reported, and cleaning gives them stable unique ids', () => {
  const noIds: NotebookJson = { ...dirty, cells: dirty.cells.map(({ id: _id, ...c }) => c as typeof c & { cell_type: string; source: string }) };
  assert.match(checkNotebook(noIds, 'n')[0]!, /cell 1 has no cell id/);
  const a = cleanNotebook(noIds);
  const ids = a.cells.map((c) => c.id as string);
  assert.equal(new Set(ids).size, ids.length);
  assert.deepEqual(cleanNotebook(noIds).cells.map((c) => c.id), ids);
  assert.deepEqual(checkNotebook(a), []);
});
