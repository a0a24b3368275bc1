/**
 * xalign's BLEU and chrF against the real sacrebleu on generated corpora in five
 * scripts (English with entities and numbers, Chinese, Arabic, Hindi, and a mix with
 * emoji, Greek, Turkish, Vietnamese, kana, Hangul and Unicode spaces). The corpora and
 * sacrebleu's numbers were produced together by test/tools/sacrebleu_crosscheck.py on a
 * machine where sacrebleu is installed (it is not installed here, nor packaged by
 * Debian); they are stored in test/fixtures/metrics-crosscheck/. When a local sacrebleu
 * exists (`/usr/bin/python3 -c "import sacrebleu"`), the last test also reruns the
 * script and checks the stored numbers are still what sacrebleu says.
 */

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { Bleu, BLEU_TOKENIZERS, Chrf, corpusBleu, corpusChrf, pairedSignificance } from '../../src/eval/metrics';

const DIR = path.resolve(__dirname, '../fixtures/metrics-crosscheck');
type Corpus = { ref: string[]; hyp: string[]; hypB: string[] };
const corpora = JSON.parse(readFileSync(path.join(DIR, 'corpora.json'), 'utf8')) as Record<string, Corpus>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const expected = JSON.parse(readFileSync(path.join(DIR, 'sacrebleu-expected.json'), 'utf8')) as any;
const LANGS = Object.keys(corpora);

function close(actual: number, want: number, what: string, tol = 1e-9): void {
  assert.ok(Math.abs(actual - want) <= tol * Math.max(1, Math.abs(want)), `${what}: xalign ${actual}, sacrebleu ${want}`);
}

/** sacrebleu's short signature in its long form (`s` is `smooth` for BLEU, `space` for chrF), version left out. */
function longSignature(short: string, s: 'smooth' | 'space' = 'smooth'): string {
  const names: Record<string, string> = { '#': 'nrefs', c: 'case', e: 'eff', s, v: 'version' };
  return short
    .split('|')
    .map((kv) => {
      const [k, v] = kv.split(':') as [string, string];
      return `${names[k] ?? k}:${v}`;
    })
    .filter((kv) => !kv.startsWith('version:'))
    .join('|');
}

test('stored corpora: five scripts, 150 segments each, with empty lines', () => {
  assert.deepEqual(LANGS.sort(), ['ar', 'en', 'hi', 'mix', 'zh']);
  for (const l of LANGS) {
    assert.equal(corpora[l]!.ref.length, 150);
    assert.equal(corpora[l]!.hyp.length, 150);
  }
  assert.ok(LANGS.some((l) => corpora[l]!.hyp.includes('')));
  assert.match(expected.sacrebleu, /^2\./);
});

for (const lang of ['en', 'zh', 'ar', 'hi', 'mix']) {
  test(`corpus BLEU equals sacrebleu for every tokenizer (${lang})`, () => {
    const { hyp, ref } = corpora[lang]!;
    for (const tok of BLEU_TOKENIZERS) {
      const want = expected.corpora[lang].bleu[tok];
      const got = corpusBleu(hyp, ref, { tokenize: tok });
      assert.deepEqual(got.counts, want.counts, `${lang}/${tok} matched n-grams`);
      assert.deepEqual(got.totals, want.totals, `${lang}/${tok} hypothesis n-grams`);
      assert.equal(got.sysLen, want.sys_len, `${lang}/${tok} hyp_len`);
      assert.equal(got.refLen, want.ref_len, `${lang}/${tok} ref_len`);
      close(got.score, want.score, `${lang}/${tok} BLEU`);
      assert.equal(got.score.toFixed(2), want.score.toFixed(2));
      const sig = got.signature.split('|').filter((kv) => !kv.startsWith('version:')).join('|');
      assert.equal(sig, longSignature(want.sig));
      close(corpusBleu(hyp, ref, { tokenize: tok, lowercase: true }).score, expected.corpora[lang].bleu_lc[tok], `${lang}/${tok} lc BLEU`);
    }
  });

  test(`sentence BLEU equals sacrebleu on every segment (${lang})`, () => {
    const { hyp, ref } = corpora[lang]!;
    for (const tok of BLEU_TOKENIZERS) {
      const want = expected.corpora[lang].sentence_bleu[tok] as number[];
      const m = new Bleu({ tokenize: tok, effectiveOrder: true });
      hyp.forEach((h, i) => close(m.corpusScore([h], [ref[i]!]).score, want[i]!, `${lang}/${tok} segment ${i + 1}`));
    }
  });

  test(`chrF and chrF++ equal sacrebleu, corpus and per segment, one and two references (${lang})`, () => {
    const { hyp, ref, hypB } = corpora[lang]!;
    const e = expected.corpora[lang];
    close(corpusChrf(hyp, ref).score, e.chrf, `${lang} chrF`);
    close(corpusChrf(hyp, ref, { wordOrder: 2 }).score, e.chrf_pp, `${lang} chrF++`);
    close(corpusChrf(hyp, [ref, hypB]).score, e.chrf_2refs, `${lang} chrF 2 refs`);
    close(corpusChrf(hyp, [ref, hypB], { wordOrder: 2 }).score, e.chrf_pp_2refs, `${lang} chrF++ 2 refs`);
    close(corpusBleu(hyp, [ref, hypB]).score, e.bleu_2refs, `${lang} BLEU 2 refs`);
    const c = new Chrf();
    const cpp = new Chrf({ wordOrder: 2 });
    hyp.forEach((h, i) => {
      close(c.corpusScore([h], [ref[i]!]).score, e.sentence_chrf[i], `${lang} chrF segment ${i + 1}`);
      close(cpp.corpusScore([h], [ref[i]!]).score, e.sentence_chrf_pp[i], `${lang} chrF++ segment ${i + 1}`);
    });
    const sig = cpp.signature().split('|').filter((kv) => !kv.startsWith('version:')).join('|');
    assert.equal(sig, longSignature(e.chrf_pp_sig, 'space'));
  });
}

test('significance agrees with sacrebleu: same scores, p-values and CI widths close (BLEU and chrF, bootstrap and AR)', () => {
  for (const lang of LANGS) {
    const { hyp, ref, hypB } = corpora[lang]!;
    for (const [metric, key] of [
      [new Bleu(), 'BLEU'],
      [new Chrf(), 'chrF2'],
    ] as const) {
      for (const [test, name] of [
        ['bootstrap', 'bs'],
        ['ar', 'ar'],
      ] as const) {
        const theirs = expected.corpora[lang].significance[name][key];
        const ours = pairedSignificance(metric, hyp, hypB, ref, test);
        const what = `${lang} ${key} ${name}`;
        close(ours.a.score, theirs[0].score, `${what} score A`);
        close(ours.b.score, theirs[1].score, `${what} score B`);
        assert.ok(Math.abs(ours.pValue - theirs[1].p_value) < 0.06, `${what}: p xalign ${ours.pValue}, sacrebleu ${theirs[1].p_value}`);
        assert.ok(Math.abs(ours.b.ci - theirs[1].ci) < 0.25 * theirs[1].ci + 0.2, `${what}: CI ±${ours.b.ci} vs ±${theirs[1].ci}`);
      }
    }
  }
});

const hasSacrebleu = spawnSync('/usr/bin/python3', ['-c', 'import sacrebleu'], { encoding: 'utf8' }).status === 0;

test('stored sacrebleu numbers are what a local sacrebleu says', { skip: hasSacrebleu ? false : 'sacrebleu is not installed for /usr/bin/python3 (Debian has no python3-sacrebleu package); the stored numbers came from sacrebleu ' + expected.sacrebleu + ' on another machine' }, () => {
  const out = mkdtempSync(path.join(os.tmpdir(), 'xalign-sacrebleu-'));
  const r = spawnSync('/usr/bin/python3', [path.resolve(__dirname, '../tools/sacrebleu_crosscheck.py'), out], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const fresh = JSON.parse(readFileSync(path.join(out, 'sacrebleu-expected.json'), 'utf8'));
  for (const lang of LANGS) {
    for (const tok of BLEU_TOKENIZERS) close(fresh.corpora[lang].bleu[tok].score, expected.corpora[lang].bleu[tok].score, `${lang}/${tok}`);
    close(fresh.corpora[lang].chrf_pp, expected.corpora[lang].chrf_pp, `${lang} chrF++`);
  }
});
