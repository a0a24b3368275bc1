import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { exploreCorpusLanguage } from '../../src/bridge/explore-corpus';
import { resolvePreset } from '../../src/config/presets';
import { writeParallel } from '../../src/data/parallel';
import { configHash, languageSeriesSpecs, tuneCommand, tuneSpecFromSettings, tuneWorld, trainingHash } from '../../src/experiments';
import { writeNpy } from '../../src/similarity';
import { buildWorld, worldOptionsFromSettings } from '../../src/world/world';
import { languageFromJson, readLanguageFile } from '../../src/world/language-file';

const EXAMPLE = path.join(__dirname, '../../data/examples/languages/ka.json');
const BIN = path.join(__dirname, '../../bin/xalign.cjs');
const tmp = (p: string) => fs.mkdtempSync(path.join(os.tmpdir(), p));
const smoke = resolvePreset('smoke');

test('language file: the example reads, defaults fill what a short file leaves out, and it transduces and reads back', () => {
  const ka = readLanguageFile(EXAMPLE);
  assert.equal(ka.code, 'ka');
  assert.equal(ka.order, 'SOV');
  assert.deepEqual(ka.articles, { definite: 'drop', indefinite: 'drop' });
  const short = languageFromJson({ code: 'qx', englishName: 'Quixish', script: { name: 'Runic', block: 'U+16A0-U+16FF', onsets: ['ᚠ', 'ᚢ', 'ᚦ'], nuclei: ['ᚨ', 'ᛖ'] } }, 'short.json');
  assert.equal(short.order, 'SVO');
  assert.equal(short.separator, ' ');
  assert.equal(short.loanShare, 0);
  assert.deepEqual(short.punctuation, { '.': '.', '?': '?', ':': ':', ',': ',' });
  const world = buildWorld(worldOptionsFromSettings(smoke.settings), [ka]);
  const t = world.transducers.get('ka')!;
  const x = t.toX('Zave works as a mason.');
  assert.match(x, /[\u10D0-\u10FF]/, 'written in the Georgian block');
  assert.equal(t.toEnglish(x), 'Zave works as mason.', 'read back (without the article the language lacks)');
});

test('language file: each mistake is refused naming the file and the field (or line)', () => {
  const dir = tmp('xalign-lang-');
  const base = { code: 'qx', englishName: 'Quixish', script: { name: 'Runic', block: 'U+16A0-U+16FF', onsets: ['ᚠ', 'ᚢ'], nuclei: ['ᚨ'] } };
  const cases: [unknown, RegExp][] = [
    [{ ...base, order: 'OVS' }, /bad\.json: field order must be "SVO" or "SOV" or "VSO"/],
    [{ ...base, wordOrder: 'SOV' }, /bad\.json: unknown field wordOrder/],
    [{ ...base, code: 'zh' }, /bad\.json: field code must be a code that is not a built-in language/],
    [{ ...base, loanShare: 2 }, /bad\.json: .*field loanShare must be a number in \[0, 1\]/],
    [{ ...base, script: { ...base.script, onsets: [] } }, /bad\.json: field script\.onsets must be a non-empty list/],
    [{ ...base, script: { ...base.script, colour: 'red' } }, /bad\.json: unknown field script\.colour/],
    [{ ...base, morphology: { kind: 'agglutinative', caseSuffixes: { under: 'ka' } } }, /bad\.json: .*morphology\.caseSuffixes\.under/],
    [{ ...base, code: 'en' }, /bad\.json: field code must be a code other than "en"/],
    [{ ...base, englishName: '' }, /bad\.json: field englishName must be a non-empty string/],
  ];
  for (const [json, re] of cases) {
    const f = path.join(dir, 'bad.json');
    fs.writeFileSync(f, JSON.stringify(json));
    assert.throws(() => readLanguageFile(f), re);
  }
  const cli = spawnSync(process.execPath, [BIN, 'explore', '--language', path.join(dir, 'bad.json'), '--preset', 'smoke'], { encoding: 'utf8' });
  assert.notEqual(cli.status, 0);
  assert.match(cli.stderr, /bad\.json: field englishName must be a non-empty string/, 'the CLI shows the same message');
  const clash = spawnSync(process.execPath, [BIN, 'experiment', 'run', '--preset', 'smoke', '--condition', 'bilingual', '--language', EXAMPLE, '--lang', 'zh'], { encoding: 'utf8' });
  assert.equal(clash.status, 2);
  assert.match(clash.stderr, /--lang "zh" differs from the code "ka"/);
  const broken = path.join(dir, 'broken.json');
  fs.writeFileSync(broken, '{\n  "code": "qx",\n  "englishName": \n}\n');
  assert.throws(() => readLanguageFile(broken), /broken\.json(:4)?: not valid JSON/);
  assert.throws(() => readLanguageFile(path.join(dir, 'none.json')), /none\.json: cannot read the language file \(ENOENT\)/);
});

test('a language the base never saw: the pre-training corpus is unchanged, the runs carry the language, the hash tells definitions apart', () => {
  const ka = readLanguageFile(EXAMPLE);
  const opts = worldOptionsFromSettings(smoke.settings);
  assert.deepEqual(buildWorld(opts, [ka]).corpus().docs, buildWorld(opts).corpus().docs, 'the corpus, so the base model, is the one without ka');
  const specs = languageSeriesSpecs(smoke.settings, ka);
  assert.equal(specs.length, smoke.settings.scalingPairs.length);
  assert.ok(specs.every((s) => s.lang === 'ka' && s.language?.code === 'ka' && s.condition === 'bilingual+translation'));
  assert.ok(tuneWorld(specs[0]!).transducers.has('ka'));
  assert.match(tuneCommand(smoke, specs[0]!, 'my/ka.json'), /--language my\/ka\.json --condition bilingual\+translation/);
  const other = { ...ka, loanShare: 0.5 };
  const a = tuneSpecFromSettings(smoke.settings, { lang: 'ka', language: ka, condition: 'bilingual+translation' });
  const b = tuneSpecFromSettings(smoke.settings, { lang: 'ka', language: other, condition: 'bilingual+translation' });
  assert.notEqual(configHash(a), configHash(b));
  assert.notEqual(trainingHash(a), trainingHash(b), 'two definitions of ka train on different data');
  // an English-only run trains on English alone: the same model as any other language's
  const enKa = tuneSpecFromSettings(smoke.settings, { lang: 'ka', language: ka, condition: 'en-only' });
  const enZh = tuneSpecFromSettings(smoke.settings, { lang: 'zh', condition: 'en-only' });
  assert.equal(trainingHash(enKa), trainingHash(enZh));
  assert.throws(() => tuneSpecFromSettings(smoke.settings, { lang: 'zh', language: ka, condition: 'bilingual' }), /defines "ka", but the run's language is "zh"/);
  assert.throws(() => tuneSpecFromSettings(smoke.settings, { lang: 'ka', language: ka, condition: 'multilingual' }), /covers every preset language/);
});

test('explore a corpus language: statistics always; gamma, law, pairs and share from what is given; the rest named as missing', () => {
  const root = tmp('xalign-explore-');
  const pairs = Array.from({ length: 40 }, (_, i) => ({ src: `The file number ${i} was saved.`, tgt: `ფაილი ${i} შენახულია.` }));
  writeParallel(path.join(root, 'cache', 'corpus', 'en-ka', 'train'), 'en', 'ka', pairs);
  const bare = exploreCorpusLanguage('ka', { corpusRoot: root });
  assert.equal(bare.corpus.splits.train, 40);
  assert.ok(bare.fertility.other.tokensPerWord > bare.fertility.english.tokensPerWord, 'Georgian costs LLaMA more tokens per word than English');
  assert.equal(bare.gamma, null);
  assert.equal(bare.law, null);
  assert.equal(bare.missing.length, 2);
  // states: X rows are the English rows plus small noise, so retrieval finds every partner
  const n = 12;
  const d = 8;
  const e = Array.from({ length: n * d }, (_, i) => Math.sin(i * 1.7) + (i % d === Math.floor(i / d) % d ? 3 : 0));
  const x = e.map((v, i) => v + 0.01 * Math.cos(i));
  writeNpy(path.join(root, 'en.npy'), e, [n, d]);
  writeNpy(path.join(root, 'ka.npy'), x, [n, d]);
  const scores = path.join(root, 'scores.csv');
  const law = (p: number) => 100 - 80 * (0.9 * p) ** -0.12;
  fs.writeFileSync(scores, `language,pairs,metric,value,seed\n${[1000, 3000, 10000, 30000].map((p) => `ka,${p},chrf,${law(p).toFixed(4)},1`).join('\n')}\nzh,1000,chrf,50,1\n`);
  const laws = path.join(root, 'laws.json');
  fs.writeFileSync(laws, JSON.stringify([{ language: 'zh', alpha: 70, beta: 0.1, gamma: 0.8, max: 100000 }]));
  const full = exploreCorpusLanguage('ka', { corpusRoot: root, states: { english: path.join(root, 'en.npy'), other: path.join(root, 'ka.npy') }, scores, target: 40, laws, budget: 10000 });
  assert.ok(full.gamma !== null && full.gamma > 0.9, `gamma ${full.gamma}`);
  assert.ok(full.law && Math.abs(full.law.beta - 0.12) < 0.02, `beta ${full.law?.beta}`);
  assert.ok(full.target && full.target.pairs > 0 && Number.isFinite(full.target.pairs));
  assert.equal(full.allocation?.pairs.ka, 40, 'capped at its training pairs');
  assert.equal(full.allocation!.pairs.zh, 10000 - 40, 'the rest to the other language');
  assert.deepEqual(full.missing, []);
  const cli = spawnSync(process.execPath, [BIN, 'explore', '--language', 'ka', '--target', '40'], { encoding: 'utf8', env: { ...process.env, XALIGN_DATA_DIR: root } });
  assert.equal(cli.status, 2, 'a target without scores is a usage mistake');
  assert.match(cli.stderr, /--scores FILE\.csv/);
  // a build without packages has only the UDHR set: statistics and fertility come from it
  const udhrOnly = tmp('xalign-explore-udhr-');
  writeParallel(path.join(udhrOnly, 'cache', 'corpus', 'en-ka', 'udhr'), 'en', 'ka', pairs.slice(0, 5));
  const u = exploreCorpusLanguage('ka', { corpusRoot: udhrOnly });
  assert.equal(u.fertility.split, 'udhr');
  assert.equal(u.fertility.sample, 5);
  assert.throws(() => exploreCorpusLanguage('ka', { corpusRoot: root, scores: path.join(root, 'laws.json').replace('laws.json', 'scores.csv'), metric: 'bleu' }), /scores\.csv: no bleu rows for ka/);
  const none = spawnSync(process.execPath, [BIN, 'explore', '--language', 'sw'], { encoding: 'utf8', env: { ...process.env, XALIGN_DATA_DIR: root } });
  assert.notEqual(none.status, 0);
  assert.match(none.stderr, /no corpus for "sw".*xalign data build --lang sw/);
});
