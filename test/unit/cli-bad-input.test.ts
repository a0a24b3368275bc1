/**
 * Bad input must never give a number: every CLI command is called with empty,
 * truncated, mis-encoded and out-of-range input, and must exit 1 or 2 with a message
 * that names the option, the file, the line or the setting, never print a result or a
 * stack trace.
 *
 * What was tried, per command (a case that already failed clearly before is marked "ok"
 * and is not repeated here unless it guards a fix):
 * - score bleu|chrf|chrf++|rouge|em|contains: hypothesis or reference with invalid UTF-8
 *   (fixed: file, line and byte offset, the data readers' LineReader); empty hypothesis
 *   and reference (fixed); references that are all blank lines (fixed); --lang 7
 *   (fixed); --scores with a text metric, --hyp with comet (fixed: refused, not ignored);
 *   mismatched line counts, missing files, unknown metric, bad --tokenize (ok).
 * - score comet|bleurt|spbleu --scores: malformed JSON that is not an array or object
 *   ("scores: [1,2]", fixed), truncated JSON (ok), empty file, [] and {"scores": []}
 *   (fixed), NaN, 0x10 (fixed: read as 16 before), invalid UTF-8 (fixed), a missing file
 *   (fixed: names --scores), --field without a header line (fixed).
 * - significance: --samples -1 (fixed: reaches the range check), --samples 1e12 (fixed:
 *   ran for ever; capped at 1,000,000), invalid UTF-8 hypotheses (fixed), empty scores
 *   files (fixed: names the file), --seed 1.5, --test xx, unknown metric (ok).
 * - presets: XALIGN_SET=bogus=1 and XALIGN_SET=seed=7 with a preset named (fixed: now
 *   applied and checked), --set languages=7, labLanguages=zz, languages=zh+zh,
 *   seed=0x10 (fixed), --set seed=, =3, unknown preset (ok), --set without NAME (fixed:
 *   was ignored).
 * - backend: unknown NAME (fixed: blamed "the preset"), XALIGN_BACKEND=quantum (ok).
 * - reproduce: --cell-timeout -1 (fixed: "ambiguous"), Infinity (fixed: accepted),
 *   --set bogus=1, --preset nope, unknown notebook (ok; no kernel starts).
 * - lab: --port abc, --port -1 (fixed: NaN reached the server).
 * - notebooks check: truncated, empty, mis-encoded or missing notebook (ok).
 * - fit --points: empty, header only, truncated header, gamma 2, x -100, missing (ok);
 *   invalid UTF-8 in a language name (fixed: was fitted as a language of its own).
 * - similarity: truncated, empty, non-.npy and missing files, shapes that differ, NaN or
 *   all-zero rows (ok); a single row (fixed: gamma 1 by construction).
 * - allocate: --budget -5 and --tau -1 (fixed: "ambiguous"), --budget abc, 1e400
 *   (ok), laws truncated, empty, [], negative alpha, missing (ok), mis-encoded (fixed).
 * - data: summarise of empty, mis-encoded and misaligned files (ok); mix --pairs -1
 *   (fixed: "ambiguous"), --per-lang abc (fixed: NaN gave a mixture), --per-lang without
 *   --instructions (fixed: ignored), --seed abc (fixed: an Rng message); --lang ","
 *   (fixed: an empty language list built nothing and exited 0); bad specs (ok).
 * - experiment run --allocation: unknown method, --budget or --laws without it, with
 *   --pairs, with a one-language condition, a negative budget, no laws (no scaling
 *   points in the store), mis-encoded laws, --steps 0 (all refused when added);
 *   --budget 0.4 (fixed: rounded to 0), laws naming a language outside the lab or
 *   missing one (fixed: an error that did not name --laws, or 0 pairs).
 * - world: sample -n -1 (fixed: "ambiguous"), -n=-1 (fixed: value read as "=-1"),
 *   -n 0, 1.5, unknown language, task, split (ok); pretrain --first-steps -1 (fixed);
 *   describe --set languages=7 (fixed: refused by the setting's own check).
 * - experiment: run --pairs -1, --seed -1 (fixed: "ambiguous"), --seed 5000000000 (fixed:
 *   beyond the Rng), --base missing folder (fixed: silently pre-trained), export of an
 *   empty store (fixed: wrote empty files), unknown condition or language (ok).
 * - train --config: empty, truncated, mis-encoded, missing, a JSON array (fixed: bare
 *   JSON.parse messages without the file), unknown fields (ok).
 * - generate: --max-tokens=-3 (fixed: blamed the prompt length), --max-tokens 0 (fixed:
 *   printed an empty answer), 1.5, --temperature -1, --top-k -1 / 1.5, --seed -1 / abc
 *   (fixed), an empty --prompt (fixed), a prompt longer than the model reads (fixed:
 *   names the prompt), a missing or truncated checkpoint (ok).
 * - bench train: --steps 0 (fixed: a speed measured on nothing), --steps -1 (fixed),
 *   --torch-device tpu (fixed: reached PyTorch).
 * - represent pca|align: missing, non-.npy, 1-D and NaN files, --k beyond the columns or
 *   0, folders without layers or with different shapes, --samples 5 (refused when added).
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { attachNegativeValues } from '../../src/cli/main';
import { encodeNpy, writeNpy } from '../../src/similarity/npy';

const BIN = path.resolve(__dirname, '../../bin/xalign.cjs');
const SMOKE_BASE = path.resolve(__dirname, '../../data/world/base-smoke');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xalign-bad-input-'));

/** Writes `content` (text or bytes) to a file in the test folder; returns its path. */
function file(name: string, content: string | Buffer): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, content);
  return f;
}

/** Runs the CLI without XALIGN_SET/PRESET from the caller's shell, plus `env`. */
function xalign(args: string[], env: NodeJS.ProcessEnv = {}) {
  const base: NodeJS.ProcessEnv = { ...process.env, XALIGN_BACKEND: 'cpu' };
  delete base.XALIGN_SET;
  delete base.PRESET;
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...base, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Asserts a refusal: exit 1 or 2 (or exactly `code`), nothing on stdout, no stack trace, and `message` on stderr. */
function refused(r: ReturnType<typeof xalign>, message: RegExp, code?: 1 | 2): void {
  assert.ok(r.code === 1 || r.code === 2, `exit ${r.code}, stdout: ${r.stdout}, stderr: ${r.stderr}`);
  if (code !== undefined) assert.equal(r.code, code, r.stderr);
  assert.equal(r.stdout, '', 'no result on stdout');
  assert.match(r.stderr, message);
  assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
}

const MIS_ENCODED = Buffer.from([0xff, 0xfe, 0x20, 0x61, 0x62, 0x63, 0x0a]); // printf '\xff\xfe abc\n'
const ok = file('ok.txt', 'the cat sat\n');
const bad = file('bad.txt', MIS_ENCODED);
const badLine2 = file('bad-line2.txt', Buffer.concat([Buffer.from('fine\n'), MIS_ENCODED]));
const empty = file('empty.txt', '');

test('attachNegativeValues joins an option that takes a value with a negative number after it', () => {
  const options = { budget: { type: 'string' }, n: { type: 'string', short: 'n' }, fresh: { type: 'boolean' } } as const;
  assert.deepEqual(attachNegativeValues(['--budget', '-5'], options), ['--budget=-5']);
  assert.deepEqual(attachNegativeValues(['-n', '-1', 'x'], options), ['--n=-1', 'x']);
  assert.deepEqual(attachNegativeValues(['-n=-1'], options), ['--n=-1']);
  assert.deepEqual(attachNegativeValues(['--budget', '-.5e3'], options), ['--budget=-.5e3']);
  // a boolean takes no value; a dash that is no number stays an option; "--" ends options
  assert.deepEqual(attachNegativeValues(['--fresh', '-5'], options), ['--fresh', '-5']);
  assert.deepEqual(attachNegativeValues(['--budget', '-n'], options), ['--budget', '-n']);
  assert.deepEqual(attachNegativeValues(['--', '--budget', '-5'], options), ['--', '--budget', '-5']);
});

test('a negative number after a space reaches the option\'s own range check', () => {
  const laws = path.resolve(__dirname, '../../data/examples/laws.json');
  refused(xalign(['allocate', '--laws', laws, '--budget', '-5']), /--budget: expected a number of pairs .* got "-5"/, 2);
  refused(xalign(['allocate', '--laws', laws, '--budget', '1M', '--method', 'temperature', '--tau', '-1']), /--tau must be a number > 0, got "-1"/, 2);
  refused(xalign(['world', 'sample', '--lang', 'zh', '--task', 'qa', '-n', '-1']), /-n must be an integer >= 1, got "-1"/, 2);
  refused(xalign(['world', 'sample', '--lang', 'zh', '--task', 'qa', '-n=-1']), /-n must be an integer >= 1, got "-1"/, 2);
  refused(xalign(['experiment', 'run', '--condition', 'en-only', '--pairs', '-1']), /--pairs must be an integer >= 1, got "-1"/, 2);
  refused(xalign(['experiment', 'run', '--condition', 'en-only', '--seed', '5000000000']), /--seed must be an integer in \[0, 4294967295\]/, 2);
  refused(xalign(['reproduce', '--cell-timeout', '-1']), /--cell-timeout must be a number > 0, got "-1"/, 2);
  refused(xalign(['reproduce', '--cell-timeout', 'Infinity']), /--cell-timeout must be a number > 0, got "Infinity"/, 2);
  refused(xalign(['data', 'mix', '--lang', 'zh', '--pairs', '-1']), /--pairs must be an integer >= 0, got "-1"/, 2);
  refused(xalign(['world', 'pretrain', '--first-steps', '-1']), /--first-steps must be an integer >= 1, got "-1"/, 2);
  refused(xalign(['bench', 'train', '--steps', '-1']), /--steps must be an integer >= 1, got "-1"/, 2);
  refused(xalign(['lab', '--port', '-1']), /--port must be an integer in \[0, 65535\], got "-1"/, 2);
  for (const a of ['abc', '70000']) refused(xalign(['lab', '--port', a]), /lab: --port must be an integer in \[0, 65535\]/, 2);
});

test('score: a mis-encoded hypothesis or reference is refused naming the flag, file, line and byte offset', () => {
  for (const metric of ['bleu', 'chrf', 'chrf++', 'rouge', 'em', 'contains']) {
    refused(xalign(['score', metric, '--hyp', bad, '--ref', ok]), /--hyp: .*bad\.txt, line 1, byte offset 0: invalid UTF-8/, 1);
  }
  refused(xalign(['score', 'chrf', '--hyp', file('two.txt', 'a\nb\n'), '--ref', badLine2]), /--ref: .*bad-line2\.txt, line 2, byte offset 5: invalid UTF-8/, 1);
  refused(xalign(['significance', '--metric', 'bleu', '--hyp-a', bad, '--hyp-b', ok, '--ref', ok]), /--hyp-a: .*bad\.txt, line 1, byte offset 0: invalid UTF-8/, 1);
});

test('score: empty hypotheses, empty or blank references, and flags that do not apply are refused', () => {
  refused(xalign(['score', 'bleu', '--hyp', empty, '--ref', empty]), /--hyp: .*empty\.txt: the file is empty/, 1);
  refused(xalign(['score', 'chrf', '--hyp', ok, '--ref', empty]), /--ref: .*empty\.txt: the file is empty/, 1);
  const blank = file('blank.txt', ' \n');
  refused(xalign(['score', 'bleu', '--hyp', blank, '--ref', blank]), /--ref: .*blank\.txt: every one of its 1 lines is blank/, 1);
  refused(xalign(['score', 'em', '--hyp', ok, '--ref', ok, '--lang', '7']), /--lang must be a language code .* got "7"/, 2);
  refused(xalign(['score', 'bleu', '--hyp', ok, '--ref', ok, '--scores', ok]), /score bleu: --scores does not apply/, 2);
  refused(xalign(['score', 'comet', '--scores', file('s.txt', '0.5\n'), '--hyp', ok]), /score comet: --hyp does not apply/, 2);
});

test('score comet --scores: malformed, empty, non-numeric or mis-encoded scores give no mean', () => {
  const cases: [string, string | Buffer, RegExp][] = [
    ['malformed.json', 'scores: [1, 2]', /malformed\.json: no scores: line 1 \("scores: \[1, 2\]"\) is not a number/],
    ['truncated.json', '{"scores": [1, 2', /truncated\.json: not valid JSON/],
    ['empty.json', '', /empty\.json: the file is empty/],
    ['empty-array.json', '[]', /empty-array\.json: the JSON array at the top level holds no scores/],
    ['empty-scores.json', '{"scores": []}', /empty-scores\.json: the JSON array "scores" holds no scores/],
    ['strings.json', '["0.5", "x"]', /strings\.json: \[0\] should be a number/],
    ['nan.txt', 'NaN\n', /nan\.txt: no scores: line 1 \("NaN"\) is not a number/],
    ['hex.txt', '0.5\n0x10\n', /hex\.txt: line 2: expected a number in the score column, got "0x10"/],
    ['words.txt', 'good\nbad\n', /words\.txt: line 2: expected a number/],
    ['mis-encoded.txt', Buffer.from([0x30, 0x2e, 0x35, 0x0a, 0xff, 0x0a]), /mis-encoded\.txt, line 2, byte offset 4: invalid UTF-8/],
  ];
  for (const [name, content, message] of cases) {
    const r = xalign(['score', 'comet', '--scores', file(name, content)]);
    refused(r, message, 1);
    assert.match(r.stderr, /^xalign: --scores: /, name);
  }
  refused(xalign(['score', 'comet', '--scores', path.join(dir, 'missing.json')]), /^xalign: --scores: no such file: .*missing\.json\n$/, 2);
  refused(xalign(['score', 'comet', '--scores', file('plain.txt', '0.5\n0.7\n'), '--field', 'COMET']), /plain\.txt: line 1 is a score, not a header, so no column is named "COMET"/, 1);
  refused(xalign(['significance', '--metric', 'comet', '--scores-a', empty, '--scores-b', empty]), /--scores-a: .*empty\.txt: the file is empty/, 1);
});

test('significance: --samples beyond 1,000,000 is refused instead of running for ever', () => {
  refused(xalign(['significance', '--metric', 'bleu', '--hyp-a', ok, '--hyp-b', ok, '--ref', ok, '--samples', '1e12']), /--samples must be an integer in \[1, 1000000\], got "1e12"/, 2);
  refused(xalign(['significance', '--metric', 'bleu', '--hyp-a', ok, '--hyp-b', ok, '--ref', ok, '--samples', '-1']), /--samples must be an integer in \[1, 1000000\], got "-1"/, 2);
});

test('XALIGN_SET applies and is checked wherever a preset is named', () => {
  refused(xalign(['presets', 'smoke'], { XALIGN_SET: 'bogus=1' }), /XALIGN_SET: unknown setting "bogus"/, 1);
  refused(xalign(['presets'], { XALIGN_SET: 'bogus=1' }), /XALIGN_SET: unknown setting "bogus"/, 1);
  refused(xalign(['world', 'describe', '--preset', 'smoke', '--no-corpus'], { XALIGN_SET: 'bogus=1' }), /XALIGN_SET: unknown setting "bogus"/, 1);
  refused(xalign(['experiment', 'list', '--preset', 'smoke'], { XALIGN_SET: 'bogus=1' }), /XALIGN_SET: unknown setting "bogus"/, 1);
  refused(xalign(['reproduce', '--preset', 'smoke'], { XALIGN_SET: 'bogus=1' }), /XALIGN_SET: unknown setting "bogus"/, 1);
  const seven = xalign(['presets', 'smoke', '--json'], { XALIGN_SET: 'seed=7' });
  assert.equal(seven.code, 0, seven.stderr);
  assert.equal(JSON.parse(seven.stdout).settings.seed, 7);
  assert.deepEqual(JSON.parse(seven.stdout).overridden, ['seed']);
  // --set wins over XALIGN_SET for the same key; both apply otherwise
  const both = JSON.parse(xalign(['presets', 'smoke', '--set', 'seed=9', '--json'], { XALIGN_SET: 'seed=7,tuneSteps=3' }).stdout);
  assert.equal(both.settings.seed, 9);
  assert.equal(both.settings.tuneSteps, 3);
  const world = xalign(['world', 'describe', '--preset', 'smoke', '--no-corpus', '--json'], { XALIGN_SET: 'seed=7' });
  assert.equal(JSON.parse(world.stdout).seed, 7);
  const list = JSON.parse(xalign(['presets', '--set', 'seed=5', '--json']).stdout) as { settings: { seed: number } }[];
  assert.deepEqual(list.map((p) => p.settings.seed), [5, 5, 5]);
});

test('--set: a language list holds language codes, without repeats; numbers are decimal', () => {
  refused(xalign(['presets', 'smoke', '--set', 'languages=7']), /--set: setting "languages" must be string\[\] of language codes .* got \["7"\]/, 1);
  refused(xalign(['presets', 'smoke', '--set', 'languages=zh+zh']), /setting "languages" .*without repeats, got \["zh","zh"\]/, 1);
  refused(xalign(['presets', 'smoke', '--set', 'labLanguages=zz']), /setting "labLanguages" must be string\[\] \(one of ar, el, hi, tr, vi, zh\)/, 1);
  refused(xalign(['presets', 'smoke', '--set', 'seed=0x10']), /setting "seed" must be int .* got "0x10"/, 1);
  refused(xalign(['world', 'describe', '--set', 'languages=7', '--no-corpus']), /--set: setting "languages"/, 1);
  refused(xalign(['presets', 'huge']), /presets NAME: unknown preset "huge"/, 1);
  assert.equal(xalign(['presets', 'smoke'], { PRESET: 'huge' }).code, 0, 'NAME wins over PRESET');
  refused(xalign(['world', 'describe', '--no-corpus'], { PRESET: 'huge' }), /PRESET: unknown preset "huge"/, 1);
});

test('similarity: one translation pair gives no gamma', () => {
  const one = file('one.npy', Buffer.from(encodeNpy([1, 0], [1, 2])));
  refused(xalign(['similarity', '--en', one, '--x', one]), /similarity: --en .*one\.npy has 1 row; gamma needs at least 2 translation pairs/, 1);
  refused(xalign(['similarity', '--en', path.join(dir, 'missing.npy'), '--x', one]), /--en: no such file/, 2);
});

test('backend: an unknown NAME is a usage error naming NAME', () => {
  refused(xalign(['backend', 'quantum']), /backend: NAME must be one of auto, tensorflow, webgpu, wasm, cpu, got "quantum"/, 2);
});

test('fit, allocate, train: mis-encoded, empty and truncated files are refused naming the flag and the file', () => {
  const points = file('points.csv', Buffer.concat([Buffer.from('language,gamma,x,score\n'), Buffer.from([0x7a, 0x68, 0xff]), Buffer.from(',0.5,100,50\n')]));
  refused(xalign(['fit', '--points', points]), /--points: .*points\.csv, line 2, byte offset 25: invalid UTF-8/, 1);
  refused(xalign(['allocate', '--laws', bad, '--budget', '1M']), /--laws: .*bad\.txt, line 1, byte offset 0: invalid UTF-8/, 1);
  refused(xalign(['train', '--config', empty]), /--config: .*empty\.txt: the file is empty; expected JSON/, 1);
  refused(xalign(['train', '--config', file('trunc.json', '{"out": "run",\n "data"')]), /--config: .*trunc\.json, line 2: not valid JSON/, 1);
  refused(xalign(['train', '--config', bad]), /--config: .*bad\.txt, line 1, byte offset 0: invalid UTF-8/, 1);
  refused(xalign(['train', '--config', file('array.json', '[]')]), /--config .*array\.json: expected a JSON object \(a run file\), got an array/, 2);
  refused(xalign(['train', '--config', path.join(dir, 'missing.json')]), /--config: no such file/, 2);
});

test('represent: bad .npy files and folders are refused naming the file, the shape or the value', () => {
  const npyDir = path.join(dir, 'npy');
  fs.mkdirSync(npyDir, { recursive: true });
  const at = (name: string, data: number[], shape: number[]) => {
    const f = path.join(npyDir, name);
    writeNpy(f, data, shape, 'float32');
    return f;
  };
  refused(xalign(['represent', 'pca']), /represent pca: --x FILE\.npy is required/, 2);
  refused(xalign(['represent', 'pca', '--x', path.join(dir, 'none.npy')]), /--x: no such file/, 2);
  refused(xalign(['represent', 'pca', '--x', bad]), /bad\.txt: not a \.npy file/, 1);
  refused(xalign(['represent', 'pca', '--x', at('v.npy', [1, 2, 3], [3])]), /v\.npy: expected a 2-D array \(sentences x dimensions\), got shape \(3\)/, 1);
  refused(xalign(['represent', 'pca', '--x', at('nan.npy', [1, Number.NaN, 3, 4], [2, 2])]), /nan\.npy: row 0, column 1 is not finite/, 1);
  refused(xalign(['represent', 'pca', '--x', at('ok.npy', [1, 2, 3, 4], [2, 2]), '--k', '3']), /--k 3 is more than the 2 columns/, 2);
  refused(xalign(['represent', 'pca', '--x', at('ok.npy', [1, 2, 3, 4], [2, 2]), '--k', '0']), /-k must be an integer >= 1, got "0"/, 2);
  const layers = (name: string, rows: number) => {
    const d = path.join(npyDir, name);
    fs.mkdirSync(d, { recursive: true });
    writeNpy(path.join(d, 'layer-00.npy'), Array.from({ length: rows * 2 }, (_, i) => i % 5), [rows, 2], 'float32');
    return d;
  };
  refused(xalign(['represent', 'align', '--en', layers('en', 4)]), /both --en DIR and --x DIR are required/, 2);
  refused(xalign(['represent', 'align', '--en', layers('en', 4), '--x', layers('x3', 3)]), /en.layer-00\.npy is 4 x 2 but .*x3.layer-00\.npy is 3 x 2/, 1);
  refused(xalign(['represent', 'align', '--en', layers('en', 4), '--x', path.join(npyDir, 'nothing')]), /nothing: no such folder/, 1);
  refused(xalign(['represent', 'align', '--en', layers('en', 4), '--x', layers('x4', 4), '--samples', '5']), /--samples must be an integer in \[10, 100000\], got "5"/, 2);
  refused(xalign(['represent', 'nope']), /represent: expected "pca" or "align", got "nope"/, 2);
});

test('data mix, experiment: NaN and ignored flags are refused', () => {
  refused(xalign(['data', 'mix', '--lang', 'zh', '--pairs', '5', '--instructions', 'x', '--per-lang', 'abc']), /data mix: --per-lang must be an integer >= 0, got "abc"/, 2);
  refused(xalign(['data', 'mix', '--lang', 'zh', '--pairs', '5', '--per-lang', '3']), /--per-lang counts records of --instructions SPEC, which is missing/, 2);
  refused(xalign(['data', 'mix', '--lang', 'zh', '--pairs', '5', '--seed', 'abc']), /data mix: --seed must be an integer in \[0, 4294967295\], got "abc"/, 2);
  refused(xalign(['data', 'build', '--lang', ',']), /data: --lang must name at least one language/, 2);
  refused(xalign(['experiment', 'run', '--condition', 'en-only', '--base', path.join(dir, 'no-base')]), /experiment run: --base: no such folder/, 2);
  refused(xalign(['experiment', 'export', '--store', path.join(dir, 'no-store')]), /experiment export: no results in .*no-store \(--store\)/, 1);
  const multi = (...extra: string[]) => xalign(['experiment', 'run', '--preset', 'smoke', '--condition', 'multilingual', '--store', path.join(dir, 'no-store'), ...extra]);
  refused(multi('--allocation', 'best'), /--allocation must be one of optimal, uniform, proportional, temperature, unimax, got "best"/, 2);
  refused(multi('--budget', '300'), /--budget and --laws go with --allocation METHOD/, 2);
  refused(multi('--allocation', 'uniform', '--pairs', '5'), /--allocation computes the pairs; leave --pairs out/, 2);
  refused(multi('--allocation', 'uniform', '--budget', '-3'), /--budget: expected a number of pairs/, 2);
  refused(multi('--allocation', 'uniform'), /--allocation needs laws: .*no-store.scaling-points\.csv does not exist/, 2);
  refused(multi('--allocation', 'uniform', '--laws', bad), /--laws: .*bad\.txt, line 1, byte offset 0: invalid UTF-8/, 1);
  refused(multi('--steps', '0'), /--steps must be an integer >= 1, got "0"/, 2);
  refused(multi('--allocation', 'uniform', '--budget', '0.4'), /--budget must be at least one pair, got "0.4"/, 2);
  const law = (language: string) => ({ language, alpha: 50, beta: 0.3, gamma: 0.5, max: 100 });
  refused(multi('--allocation', 'uniform', '--laws', file('laws-ar.json', JSON.stringify([law('zh'), law('tr'), law('ar')]))), /--laws .*laws-ar\.json must give one law for each lab language \(zh, tr\); not a lab language: ar/, 2);
  refused(multi('--allocation', 'uniform', '--laws', file('laws-zh.json', JSON.stringify([law('zh')]))), /--laws .*laws-zh\.json must give one law for each lab language \(zh, tr\); missing: tr/, 2);
  refused(xalign(['experiment', 'run', '--condition', 'en-only', '--lang', 'zh', '--allocation', 'uniform', '--laws', file('laws.json', '[{"language":"zh","alpha":50,"beta":0.3,"gamma":0.5,"max":100}]')]), /--allocation shares pairs among languages; it needs --condition multilingual, got en-only/, 2);
  assert.equal(fs.existsSync(path.join(dir, 'no-store')), false, 'nothing written for an empty store');
});

test('generate: every numeric flag is checked (naming it) before the model loads; empty and too long prompts are refused', () => {
  const g = (...extra: string[]) => xalign(['generate', '--checkpoint', SMOKE_BASE, '--prompt', 'hello', ...extra]);
  refused(g('--max-tokens=-3'), /generate: --max-tokens must be an integer >= 1, got "-3"/, 2);
  refused(g('--max-tokens', '-3'), /generate: --max-tokens must be an integer >= 1, got "-3"/, 2);
  refused(g('--max-tokens', '0'), /--max-tokens must be an integer >= 1, got "0"/, 2);
  refused(g('--temperature', '-1'), /--temperature must be a number >= 0, got "-1"/, 2);
  refused(g('--top-k', '1.5'), /--top-k must be an integer >= 0, got "1.5"/, 2);
  refused(g('--seed', 'abc'), /--seed must be an integer in \[0, 4294967295\], got "abc"/, 2);
  refused(xalign(['generate', '--checkpoint', SMOKE_BASE, '--prompt', 'hi', '--prompt', ' ']), /generate: --prompt number 2 is empty/, 2);
  refused(xalign(['generate', '--checkpoint', SMOKE_BASE, '--prompt', 'word '.repeat(400), '--max-tokens', '2']), /generate: --prompt number 1 is \d+ tokens .*the model reads at most \d+/, 2);
});

test('bench train: zero timed steps and an unknown PyTorch device are refused before any benchmark runs', () => {
  refused(xalign(['bench', 'train', '--steps', '0']), /bench: --steps must be an integer >= 1, got "0"/, 2);
  refused(xalign(['bench', 'train', '--torch-device', 'tpu']), /bench: --torch-device must be cpu or cuda, got "tpu"/, 2);
});
