import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { resolvePreset, type Settings } from '../../src/config/presets';
import {
  ablationSpecs, baseModelConfig, baseSpecFromSettings, configHash, type ExperimentResult, labPlan, multilingualPlan, presetCost, scalingSpecs, storeSpeed, tuneWork, tuningShape,
} from '../../src/experiments';
import { planHours } from '../../src/cli/commands/plan';
import { trainFlopsPerStep } from '../../src/model/config';
import { readLanguageFile } from '../../src/world/language-file';

const BIN = path.resolve(__dirname, '../../bin/xalign.cjs');
const classroom = (over: Partial<Settings> = {}): Settings => ({ ...resolvePreset('classroom').settings, ...over });
const partOf = (c: ReturnType<typeof presetCost>, prefix: string) => c.parts.find((p) => p.part.startsWith(prefix))!;

test('a tuning run costs steps x rows x row length token slots, and the FLOP of the model it tunes', () => {
  const s = classroom();
  const spec = labPlan(s).grid[0]!;
  const w = tuneWork(spec);
  assert.equal(w.steps, s.tuneSteps);
  assert.equal(w.tokens, s.tuneSteps * s.tuneBatchSize * s.tuneSeqLen);
  assert.equal(w.flops, trainFlopsPerStep(baseModelConfig(spec.base), w.tokens, s.tuneSeqLen));
  assert.equal(baseModelConfig(spec.base).vocabSize, s.worldBpeVocab);
  // continued pre-training shares the run's steps: the condition costs what the others cost
  const cpt = ablationSpecs(s).find((x) => x.condition === 'continued-pretraining')!;
  assert.ok(cpt.data.continued!.steps > 0 && cpt.train.steps < s.tuneSteps);
  assert.equal(tuneWork(cpt).steps, s.tuneSteps);
});

test('each run is counted once, in the first notebook that lists it', () => {
  const s = classroom();
  const c = presetCost(s);
  const lab = labPlan(s);
  const labHashes = new Set(lab.all.map(configHash));
  assert.equal(partOf(c, '02').runs, labHashes.size);
  assert.equal(partOf(c, '02').listed, lab.all.length);
  assert.ok(labHashes.size < lab.all.length, 'the grid recipe at the default pairs is also a scaling point');
  // notebook 06 measures 02's grid: nothing new
  assert.equal(partOf(c, '06').runs, 0);
  assert.equal(partOf(c, '06').tokens, 0);
  // 05: its scaling series and per-language arms are 02's runs where they coincide
  const fresh = new Set([...scalingSpecs(s, s.labLanguages), ...multilingualPlan(s).all].map(configHash).filter((h) => !labHashes.has(h)));
  const lawRuns = s.allocationMethods.filter((m) => m === 'optimal').length * s.seeds;
  // the uniform split of 3 x 3000 pairs is the multilingual arm itself; proportional is new
  assert.equal(s.allocationBudget, s.worldTranslationPairs * s.labLanguages.length);
  assert.equal(partOf(c, '05').runs, fresh.size + s.seeds /* proportional */ + lawRuns);
  // a budget the uniform split does not share with Figure 3's model makes its arm new
  const other = presetCost(classroom({ allocationBudget: 6000 }));
  assert.equal(partOf(other, '05').runs, partOf(c, '05').runs + s.seeds);
  assert.equal(c.total.runs, c.parts.reduce((n, p) => n + p.runs, 0));
  assert.equal(c.total.tokens, c.parts.reduce((n, p) => n + p.tokens, 0));
});

test('the base is pre-trained unless ready; stored runs are not trained again', () => {
  const s = classroom();
  const base = baseSpecFromSettings(s);
  const fresh = presetCost(s);
  assert.equal(fresh.parts[0]!.tokens, s.pretrainSteps * s.batchSize * s.seqLen);
  assert.deepEqual(fresh.todo, fresh.total);
  const grid = new Set(labPlan(s).grid.map(configHash));
  const c = presetCost(s, { baseReady: (b) => configHash(b) === configHash(base), stored: (spec) => grid.has(configHash(spec)) });
  assert.equal(c.parts[0]!.todo.tokens, 0);
  assert.equal(partOf(c, '02').todo.runs, partOf(c, '02').runs - grid.size);
  assert.equal(c.todo.tokens, fresh.total.tokens - fresh.parts[0]!.tokens - grid.size * s.tuneSteps * s.tuneBatchSize * s.tuneSeqLen);
  // the other family's grid counts only when its base is ready, as notebook 07 trains it only then
  const withOther = presetCost(s, { baseReady: () => true });
  assert.equal(partOf(withOther, '07').runs, partOf(c, '07').runs + s.seeds * 3);
  assert.match(partOf(c, '07').notes.join(), /no neox base ready/);
});

test('notebook 08 adds its language\'s series when a language is given', () => {
  const s = classroom();
  const language = readLanguageFile(path.resolve(__dirname, '../../data/examples/languages/ka.json'));
  const c = presetCost(s, { language });
  assert.equal(partOf(c, '08').runs, s.scalingPairs.length, 'the lab languages\' series are 02\'s');
  assert.equal(c.parts.length, presetCost(s).parts.length + 1);
});

test('hours: the base in one process, the tuning runs shared by the pool', () => {
  const c = presetCost(classroom());
  const h = planHours(c, 1000, 2);
  assert.ok(Math.abs(h.base - c.parts[0]!.todo.tokens / 1000 / 3600) < 1e-12);
  assert.ok(Math.abs(h.tuning - (c.todo.tokens - c.parts[0]!.todo.tokens) / 2000 / 3600) < 1e-12);
  assert.ok(Math.abs(h.total - h.base - h.tuning) < 1e-12);
  const shape = tuningShape(classroom());
  assert.deepEqual([shape.batch, shape.seqLen, shape.model.dModel], [8, 256, 128]);
});

test('the speed a store kept: token slots over wall seconds of runs trained start to end', () => {
  const s = classroom();
  const [a, b, c, d] = labPlan(s).grid;
  const result = (spec: typeof a, seconds: number, o: { resumedFrom?: number; trainedBy?: string } = {}) => ({
    version: 1, kind: 'tune', label: 'x', spec, provenance: {} as ExperimentResult['provenance'], metrics: {},
    training: { steps: 1, losses: [], seconds, tokensPerSec: 1, ...(o.resumedFrom !== undefined ? { resumedFrom: o.resumedFrom } : {}) },
    ...(o.trainedBy ? { extra: { trainedBy: o.trainedBy } } : {}),
  }) as ExperimentResult;
  const one = tuneWork(a!).tokens;
  const speed = storeSpeed([result(a!, 100), result(b!, 300), result(c!, 5, { resumedFrom: 50 }), result(d!, 7, { trainedBy: 'abc' }),
    { ...result(a!, 9), kind: 'pretrain' }]);
  assert.deepEqual(speed, { tokensPerSec: (2 * one) / 400, runs: 2, skipped: 2 });
  assert.equal(storeSpeed([result(c!, 5, { resumedFrom: 50 })]), null);
});

test('xalign plan prints the parts and hours; bad flags are usage errors', () => {
  const store = fs.mkdtempSync(path.join(os.tmpdir(), 'xalign-plan-'));
  const run = (args: string[]) => spawnSync(process.execPath, [BIN, 'plan', '--store', store, ...args], { encoding: 'utf8' });
  const r = run(['--preset', 'smoke', '--tokens-per-s', '500', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const v = JSON.parse(r.stdout);
  assert.equal(v.preset, 'smoke');
  assert.equal(v.speed.tokensPerSec, 500);
  assert.ok(v.parts.some((p: { part: string }) => p.part.startsWith('08 new language (ka)')));
  assert.ok(v.hours.total > 0);
  const text = run(['--preset', 'smoke']);
  assert.equal(text.status, 0);
  assert.match(text.stdout, /still to train: \d+ runs/);
  assert.match(text.stdout, /--tokens-per-s N/);
  assert.equal(run(['--tokens-per-s', '5', '--measure']).status, 2);
  assert.equal(run(['--steps', '5']).status, 2);
  assert.equal(run(['--tokens-per-s', '0']).status, 2);
  const missing = run(['--language', path.join(store, 'none.json')]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /--language: no such file/);
  fs.rmSync(store, { recursive: true, force: true });
});
