import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { batchSplit, ingest, meanScores, readScoresTable, scorePoints, scorePredictions, tableComparisons } from '../../src/bridge';
import { tableFiveVerdict } from '../../src/experiments/verdict';
import { writeParallel } from '../../src/data/parallel';
import { readAlpaca, writeAlpaca } from '../../src/data/records';
import { parseDatasetSpec } from '../../src/data/spec';
import { scoreCorpus } from '../../src/eval/metrics';

const BIN = path.join(__dirname, '../../bin/xalign.cjs');
const tmp = (p: string) => fs.mkdtempSync(path.join(os.tmpdir(), p));
const readFileText = (f: string) => fs.readFileSync(f, 'utf8');

function xalign(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A data root with a built corpus for zh (12 train, 3 test pairs) and el (5 train), and English Alpaca records. */
function dataRoot(): string {
  const root = tmp('xalign-bridge-data-');
  const pairs = (n: number, tag: string) => Array.from({ length: n }, (_, i) => ({ src: `sentence ${i} ${tag}`, tgt: `${tag}-${i}` }));
  writeParallel(path.join(root, 'cache', 'corpus', 'en-zh', 'train'), 'en', 'zh', pairs(12, '句'));
  writeParallel(path.join(root, 'cache', 'corpus', 'en-zh', 'test'), 'en', 'zh', pairs(3, '测'));
  writeParallel(path.join(root, 'cache', 'corpus', 'en-el', 'train'), 'en', 'el', pairs(5, 'λ'));
  writeAlpaca(path.join(root, 'alpaca', 'alpaca_en.json'), [{ instruction: 'Say hi.', input: '', output: 'Hi.' }, { instruction: 'Count.', input: '', output: '1 2 3' }]);
  return root;
}

test('export run: data under the public code\'s names, a spec that parses and selects the pairs asked, a train.json of every record, a launch script', () => {
  const root = dataRoot();
  const out = path.join(root, 'run');
  try {
    const r = xalign(['export', 'run', '--recipe', 'bilingual+translation', '--lang', 'zh,el', '--pairs', 'zh=10,el=4', '--out', out, '--json'], { XALIGN_DATA_DIR: root });
    assert.equal(r.code, 0, r.stderr);
    const v = JSON.parse(r.stdout);
    assert.equal(v.spec, 'alpaca_en+alpaca_zh+alpaca_el+translation_xalign_en-zh[0:10]+translation_xalign_en-el[0:4]');
    assert.equal(fs.readFileSync(path.join(out, 'data', 'dataset_spec.txt'), 'utf8').trim(), v.spec);
    assert.deepEqual(v.missing, ['alpaca_zh', 'alpaca_el'], 'the X instructions are not on this machine');
    assert.deepEqual(v.records, { alpaca_en: 2, alpaca_zh: null, alpaca_el: null, 'translation_xalign_en-zh': 10, 'translation_xalign_en-el': 4 });
    // the spec round-trips through the parser; every name it has is a file or a dataset to supply
    const items = parseDatasetSpec(v.spec);
    assert.deepEqual(items.map((i) => [i.name, i.start, i.end]), [['alpaca_en', undefined, undefined], ['alpaca_zh', undefined, undefined], ['alpaca_el', undefined, undefined], ['translation_xalign_en-zh', 0, 10], ['translation_xalign_en-el', 0, 4]]);
    const zh = readAlpaca(path.join(out, 'data', 'translation_xalign_en-zh.json'));
    assert.equal(zh.length, 12, 'the whole train split; the slice selects');
    assert.deepEqual([zh[3]!.input, zh[3]!.output], ['sentence 3 句', '句-3']);
    assert.equal(zh[0]!.instruction, 'Translate the following sentences from English to Chinese.');
    assert.deepEqual(fs.readFileSync(path.join(out, 'eval', 'en-zh.zh'), 'utf8').trim().split('\n'), ['测-0', '测-1', '测-2']);
    assert.equal(fs.readFileSync(path.join(out, 'eval', 'translation_en-zh.jsonl'), 'utf8').trim().split('\n').length, 3);
    // with the missing datasets supplied, train.json holds every selected record
    const py = (args: string[]) => spawnSync('python3', [path.join(out, 'build_train_json.py'), ...args], { encoding: 'utf8' });
    const refused = py([out, '1', path.join(out, 'train.json')]);
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /alpaca_zh\.json: missing; the dataset "alpaca_zh" must be supplied/);
    for (const l of ['zh', 'el']) writeAlpaca(path.join(out, 'data', `alpaca_${l}.json`), [{ instruction: `q ${l}`, input: '', output: `a ${l}` }]);
    const built = py([out, '1', path.join(out, 'train.json')]);
    assert.equal(built.status, 0, built.stderr);
    const train = JSON.parse(fs.readFileSync(path.join(out, 'train.json'), 'utf8')) as { output: string }[];
    assert.equal(train.length, 2 + 1 + 1 + 10 + 4);
    assert.ok(train.some((t) => t.output === '句-9') && !train.some((t) => t.output === '句-10'), 'the slice [0:10] takes pairs 0-9');
    // open and negative bounds, as the project's spec parser reads them
    fs.writeFileSync(path.join(out, 'data', 'dataset_spec.txt'), 'translation_xalign_en-zh[-3:]+translation_xalign_en-el[:2]\n');
    assert.equal(py([out, '1', path.join(out, 'tail.json')]).status, 0);
    const tail = (JSON.parse(fs.readFileSync(path.join(out, 'tail.json'), 'utf8')) as { output: string }[]).map((t) => t.output).sort();
    assert.deepEqual(tail, ['λ-0', 'λ-1', '句-10', '句-11', '句-9']);
    assert.match(readFileText(path.join(out, 'README.md')), /`translation_zh_p10_sS\.jsonl`, `translation_el_p4_sS\.jsonl`/);
    // the launch script: valid bash; the global batch stays 128 on 1, 4 and 8 GPUs; 3 GPUs cannot make it
    assert.equal(spawnSync('bash', ['-n', path.join(out, 'launch.sh')]).status, 0);
    for (const [gpus, per, accum] of [[1, 4, 32], [4, 4, 8], [8, 4, 4]] as const) {
      const d = spawnSync('bash', [path.join(out, 'launch.sh'), '--dry-run'], { encoding: 'utf8', env: { ...process.env, NGPUS: String(gpus) } });
      assert.equal(d.status, 0, d.stderr);
      assert.match(d.stdout, new RegExp(`^gpus ${gpus} per_device_batch ${per} accumulation ${accum} global_batch 128$`, 'm'));
      assert.match(d.stdout, new RegExp(`--nproc_per_node=${gpus} .*--num_train_epochs 3 --per_device_train_batch_size ${per} --gradient_accumulation_steps ${accum} --learning_rate 2e-5 .*--warmup_ratio 0.03 --lr_scheduler_type cosine --model_max_length 512`));
      assert.deepEqual(batchSplit(gpus), { perDevice: per, accumulation: accum });
    }
    const three = spawnSync('bash', [path.join(out, 'launch.sh'), '--dry-run'], { encoding: 'utf8', env: { ...process.env, NGPUS: '3' } });
    assert.equal(three.status, 2);
    assert.equal(batchSplit(3), null);
    const readme = fs.readFileSync(path.join(out, 'README.md'), 'utf8');
    assert.match(readme, /stanford_alpaca/);
    assert.match(readme, /MODEL=\/path\/to\/llama-7b ALPACA=\/path\/to\/stanford_alpaca bash launch\.sh/);
    assert.match(readme, /`data\/alpaca_zh\.json`, `data\/alpaca_el\.json`/);
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'export.json'), 'utf8'));
    assert.deepEqual([manifest.training.epochs, manifest.training.globalBatch, manifest.training.maxLength], [3, 128, 512]);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('export run: mistakes are refused with what is wrong', () => {
  const root = dataRoot();
  try {
    const run = (args: string[]) => xalign(['export', 'run', ...args, '--out', path.join(root, 'x')], { XALIGN_DATA_DIR: root });
    const cases: [string[], RegExp][] = [
      [['--recipe', 'bilingual+translation', '--lang', 'zh', '--pairs', '13'], /13 pairs asked for zh, the corpus has 12 \(translation_xalign_en-zh\)/],
      [['--recipe', 'bilingual+translation', '--lang', 'tr'], /no corpus for "tr" \(translation_xalign_en-tr\); build it with: npx xalign data build --lang tr/],
      [['--recipe', 'en-only', '--lang', 'zh', '--pairs', '5'], /recipe en-only has no translation task/],
      [['--recipe', 'recipe', '--lang', 'zh'], /--recipe must be one of en-only, bilingual, bilingual\+translation, got "recipe"/],
      [['--recipe', 'bilingual+translation', '--lang', 'zh', '--pairs', 'zh=5,el=2'], /pairs given for "el", which is not among --lang \(zh\)/],
      [['--recipe', 'bilingual+translation', '--lang', 'zh,el', '--pairs', 'zh=5'], /the pairs give no count for el \(give every --lang one; 0 for none\)/],
      [['--recipe', 'bilingual+translation', '--lang', 'zh', '--allocation', 'optimal', '--budget', '10'], /--allocation needs --budget C and --laws FILE\.json/],
    ];
    // an allocation of 10 pairs under the example laws, each language capped at its corpus (el has 5)
    const laws = path.join(__dirname, '../../data/examples/laws.json');
    const ok = run(['--recipe', 'bilingual+translation', '--lang', 'zh,el', '--allocation', 'optimal', '--budget', '10', '--laws', laws, '--json']);
    assert.equal(ok.code, 0, ok.stderr);
    const pairs = JSON.parse(ok.stdout).pairs as Record<string, number>;
    assert.equal(pairs.zh! + pairs.el!, 10);
    assert.equal(JSON.parse(ok.stdout).spec.split('+').filter((x: string) => x.startsWith('translation_')).length, Object.values(pairs).filter((n) => n > 0).length, 'a language allocated 0 pairs has no translation set');
    assert.ok(pairs.el! <= 5 && pairs.zh! <= 12, JSON.stringify(pairs));
    for (const [args, re] of cases) {
      const r = run(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re);
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('ingest: a scores table is read, averaged over seeds and fitted; a malformed one names its file and line', () => {
  const dir = tmp('xalign-ingest-');
  try {
    const f = path.join(dir, 'scores.csv');
    const lines = ['# from a real run', 'language,pairs,metric,value,seed'];
    for (const [x, s] of [[1000, 40], [4000, 50], [16000, 58], [64000, 64]] as const) for (const seed of [1, 2]) lines.push(`zh,${x},chrf,${s + (seed === 1 ? -0.5 : 0.5)},${seed}`);
    lines.push('zh,0,contains,30,', 'zh,0,contains,40,');
    fs.writeFileSync(f, lines.join('\n') + '\n');
    const rows = readScoresTable(f);
    assert.equal(rows.length, 10);
    assert.deepEqual(rows[0], { language: 'zh', pairs: 1000, metric: 'chrf', value: 39.5, seed: 1, source: `${f}:3` });
    assert.equal(rows[8]!.seed, null);
    assert.deepEqual(meanScores(rows).filter((m) => m.metric === 'chrf').map((m) => [m.pairs, m.seeds, m.mean]), [[1000, 2, 40], [4000, 2, 50], [16000, 2, 58], [64000, 2, 64]]);
    assert.deepEqual(meanScores(rows).filter((m) => m.metric === 'contains').map((m) => [m.n, m.seeds, m.mean]), [[2, 1, 35]], 'two rows without a seed: two values, one seed');
    assert.deepEqual(scorePoints(rows, 'chrf', { zh: 0.6 })[1], { language: 'zh', gamma: 0.6, x: 4000, score: 50 });
    assert.throws(() => scorePoints(rows, 'chrf', {}), /no gamma for zh: give it with --gamma zh=VALUE/);
    const r = xalign(['ingest', f, '--metric', 'chrf', '--gamma', 'zh=0.6', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const law = JSON.parse(r.stdout).laws.zh;
    assert.ok(law.alpha > 0 && law.beta > 0 && law.r2 > 0.9, JSON.stringify(law));
    const bad: [string, RegExp][] = [
      ['language,pairs,value\nzh,1,2\n', /scores\.csv:1: the header must name language, pairs, metric, value, seed \(seed may be left out\); missing metric/],
      ['language,pairs,metric,value,seed\nzh,1k,chrf,2,1\n', /scores\.csv:2: pairs must be a whole number >= 0 or empty \(not stated\), got "1k"/],
      ['language,pairs,metric,value,condition\nzh,1,chrf,2,Recipe\n', /scores\.csv:2: condition must be a name such as en-only or bilingual\+translation, got "Recipe"/],
      ['language,pairs,metric,value,seed\nzh,1,chrf,2,1\nZH,1,chrf,2,1\n', /scores\.csv:3: language must be a 2-3 letter lower-case code, got "ZH"/],
      ['language,pairs,metric,value,seed\nzh,1,chrf,n/a,1\n', /scores\.csv:2: value must be a number, got "n\/a"/],
      ['language,pairs,metric,value,seed\nzh,1,chrf,2\n', /scores\.csv:2: 4 fields, the header has 5/],
      ['language,pairs,metric,value,seed\n', /scores\.csv: no rows after the header/],
    ];
    for (const [text, re] of bad) {
      fs.writeFileSync(f, text);
      assert.throws(() => readScoresTable(f), re);
      const c = xalign(['ingest', f]);
      assert.equal(c.code, 1);
      assert.match(c.stderr, re);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('ingest: a predictions folder is scored with the project\'s metrics, per task, language, size and seed', () => {
  const dir = tmp('xalign-preds-');
  try {
    const hyps = ['the cat sat on the mat', 'a dog barks', 'hello world'];
    const refs = ['the cat sat on a mat', 'the dog barks', 'hello there world'];
    const jsonl = (h: string[], r: (string | string[])[]) => h.map((p, i) => JSON.stringify({ prediction: p, reference: r[i] })).join('\n') + '\n';
    fs.writeFileSync(path.join(dir, 'translation_zh_p1000_s2.jsonl'), jsonl(hyps, refs));
    fs.writeFileSync(path.join(dir, 'qa_zh.jsonl'), jsonl(['it is Paris.', 'no idea'], [['Paris', 'paris'], 'Rome']));
    const rows = ingest(dir);
    assert.deepEqual(rows.map((r) => [r.metric, r.language, r.pairs, r.seed]), [['contains', 'zh', 0, null], ['chrf', 'zh', 1000, 2], ['bleu', 'zh', 1000, 2]]);
    assert.equal(rows[0]!.value, 50);
    assert.equal(rows[1]!.value, scoreCorpus('chrf', hyps, refs).score);
    // hand-checked ends of the scale: a perfect system scores 100 on chrF and BLEU
    const perfect = tmp('xalign-preds-perfect-');
    fs.writeFileSync(path.join(perfect, 'translation_zh_p5.jsonl'), jsonl(refs, refs));
    assert.deepEqual(ingest(perfect).map((r) => [r.metric, Math.round(r.value * 1e6) / 1e6]), [['chrf', 100], ['bleu', 100]]);
    fs.rmSync(perfect, { recursive: true, force: true });
    fs.writeFileSync(path.join(dir, 'summarization_zh.jsonl'), '{"prediction": "x", "reference": 3}\n');
    assert.throws(() => scorePredictions(dir), /summarization_zh\.jsonl:1: "reference" must be a string or a list of strings/);
    fs.writeFileSync(path.join(dir, 'summarization_zh.jsonl'), 'not json\n');
    assert.throws(() => scorePredictions(dir), /summarization_zh\.jsonl:1: not valid JSON/);
    fs.rmSync(path.join(dir, 'summarization_zh.jsonl'));
    fs.writeFileSync(path.join(dir, 'poetry_zh.jsonl'), '');
    assert.throws(() => scorePredictions(dir), /poetry_zh\.jsonl: unknown task "poetry"; known: translation, qa, knowledge, summarization/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the paper\'s stated scores read back as a scores table: Table 5 and Table 3, with their conditions', () => {
  const rows = readScoresTable(path.join(__dirname, '../../data/paper/scores.csv'));
  assert.equal(rows.length, 22);
  const t5 = meanScores(rows.filter((r) => r.language === 'zh'));
  const of = (condition: string, metric: string) => t5.find((m) => m.condition === condition && m.metric === metric)!.mean;
  // Table 5 as stated: the recipe above continued pre-training on everything but knowledge infilling
  const better = ['comet', 'mlqa', 'xquad', 'mlama', 'xlsum-rouge'].filter((m) => of('bilingual+translation', m) > of('continued-pretraining', m));
  assert.deepEqual(better, ['comet', 'mlqa', 'xquad', 'xlsum-rouge']);
  assert.ok(rows.filter((r) => r.language === 'zh').every((r) => r.pairs === null && r.seed === null), 'not stated in the paper');
  assert.deepEqual(new Set(rows.filter((r) => r.language === 'all').map((r) => r.pairs)), new Set([1_200_000]));
  assert.throws(() => scorePoints(rows, 'comet', { all: 0.5 }), /from several conditions \(multilingual-optimal, multilingual-uniform\)/);
});

test('a scores table through the verdict rules: comparisons without a paired test, so claim 10 is not assessed; one size at a time', () => {
  const rows = readScoresTable(path.join(__dirname, '../../data/paper/scores.csv'));
  const comps = tableComparisons(rows, 'zh', 'continued-pretraining', 'bilingual+translation');
  assert.deepEqual(comps.map((c) => c.task).sort(), ['knowledge', 'qa', 'qa', 'summarization', 'translation']);
  assert.ok(comps.every((c) => c.pValue === null && c.pairedSeeds === 0));
  assert.equal(comps.find((c) => c.metric === 'comet')!.delta.toFixed(1), '8.5');
  const v = tableFiveVerdict(comps);
  assert.equal(v.verdict, 'not assessed');
  assert.match(v.reason, /5 of 5 comparisons have no paired test/);
  const two = [...rows, { language: 'zh', pairs: 1000, metric: 'comet', value: 80, seed: null, condition: 'continued-pretraining', source: 'x:1' }];
  assert.throws(() => tableComparisons(two, 'zh', 'continued-pretraining', 'bilingual+translation'), /comet at 2 pair counts/);
  assert.throws(() => tableComparisons(rows, 'el', 'continued-pretraining', 'bilingual+translation'), /no metric has both/);
});
