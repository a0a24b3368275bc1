/**
 * Transduction English -> X: the miniature world's stand-in for the paper's machine
 * translation engine (Section 3.1: Alpaca is machine-translated into each language;
 * the translation task pairs English with X). English text of the grammar is parsed
 * into clauses (src/world/grammar.ts), then realised with the language's lexicon,
 * word order, adjective and adposition placement, articles and affixes.
 *
 * The reverse direction X -> English reads X text of this transduction back. It
 * recovers the English exactly except where the language loses a distinction
 * ({@link lostDistinctions}): dropped articles ('the', 'a'), and prepositions that share
 * one case suffix (Turkish-like locative for 'in' and 'at'). {@link lossyEnglish} applies
 * exactly these losses to English, so that `toEnglish(toX(e)) === lossyEnglish(e)` for
 * every sentence of the grammar (a unit test checks it for all six languages).
 * Serves notebook 02 and the tasks in src/world/tasks.ts.
 */

import { ENGLISH_POS } from './english';
import {
  type Clause, type Complement, detokenizeEnglish, englishWords, GrammarError, IMPERATIVE_VERBS, type NounPhrase,
  parseEnglish, type VerbGroup, type Word,
} from './grammar';
import { type Affix, checkLanguageSpec, type LanguageSpec } from './languages';
import { affixVariants, allSuffixes, buildLexicon, type Lexicon } from './lexicon';

/** One output token and the English word it came from (for alignment and similarity). */
export interface XToken {
  form: string;
  src?: Word;
}

const COPULAS = new Set(['is', 'was']);
const OBJECT_HEADS = new Set(['noun', 'pron', 'name', 'wh', 'blank']);

export interface Transducer {
  spec: LanguageSpec;
  lexicon: Lexicon;
  /** English text of the grammar -> X text. */
  toX(english: string): string;
  /** X tokens of each sentence, with the English word each came from. */
  toXTokens(english: string): { tokens: XToken[]; english: Word[] }[];
  /** X text produced by {@link toX} -> English (see the module note on what is lost). */
  toEnglish(x: string): string;
  /** The X form of one English word in citation form (no affixes), as code-switching and answers use it. */
  word(english: string): string;
}

function lastVowelClass(spec: LanguageSpec, stem: string): 'back' | 'front' {
  const h = spec.script.harmony;
  const back = new Set(h?.back ?? ['a', 'ı', 'o', 'u']);
  const front = new Set(h?.front ?? ['e', 'i', 'ö', 'ü']);
  const chars = [...stem.toLowerCase()];
  for (let i = chars.length - 1; i >= 0; i--) {
    if (back.has(chars[i]!)) return 'back';
    if (front.has(chars[i]!)) return 'front';
  }
  return 'back';
}

function chooseAffix(spec: LanguageSpec, a: Affix, stem: string): string {
  return typeof a === 'string' ? a : a[lastVowelClass(spec, stem)];
}

/** English distinctions the language does not write, so X -> English cannot recover them. */
export function lostDistinctions(spec: LanguageSpec): string[] {
  const out: string[] = [];
  if (spec.articles.definite === 'drop') out.push("'the' is dropped");
  if (spec.articles.indefinite === 'drop') out.push("'a'/'an' is dropped");
  for (const [preps] of conflatedPrepositions(spec)) out.push(`prepositions ${preps.map((p) => `'${p}'`).join(' and ')} share one suffix`);
  return out;
}

/** Groups of prepositions realised by the same case suffix (the first of each group is what X -> English writes). */
function conflatedPrepositions(spec: LanguageSpec): [string[], string][] {
  const byAffix = new Map<string, string[]>();
  for (const [prep, a] of Object.entries(spec.morphology.caseSuffixes ?? {})) {
    const key = affixVariants(a).join('/');
    byAffix.set(key, [...(byAffix.get(key) ?? []), prep]);
  }
  return [...byAffix.entries()].filter(([, ps]) => ps.length > 1).map(([k, ps]) => [ps, k]);
}

/** Writes a/an by the next word, as English does. */
function fixArticles(words: Word[]): Word[] {
  return words.map((w, i) => {
    if (w.text !== 'a' && w.text !== 'an') return w;
    const next = words[i + 1]?.text ?? '';
    return { ...w, text: /^[aeiou]/.test(next) ? 'an' : 'a' };
  });
}

/** English with the distinctions `spec` loses removed: what X -> English can give back. */
export function lossyEnglish(spec: LanguageSpec, english: string): string {
  const canonical = new Map<string, string>();
  for (const [preps] of conflatedPrepositions(spec)) for (const p of preps) canonical.set(p, preps[0]!);
  const dropDet = (np: NounPhrase): NounPhrase => {
    const d = np.det?.text;
    const drop = (d === 'the' && spec.articles.definite === 'drop') || ((d === 'a' || d === 'an') && spec.articles.indefinite === 'drop');
    return drop ? { ...np, det: undefined } : np;
  };
  const comp = (c: Complement): Complement =>
    c.kind === 'np'
      ? dropDet(c)
      : c.kind === 'pp'
        ? { kind: 'pp', prep: { ...c.prep, text: canonical.get(c.prep.text) ?? c.prep.text }, np: dropDet(c.np) }
        : c;
  return parseEnglish(english)
    .map((cl) => {
      const c: Clause = { ...cl, subj: cl.subj && dropDet(cl.subj), vps: cl.vps.map((vp) => ({ verbs: vp.verbs, comps: vp.comps.map(comp) })) };
      return detokenizeEnglish(fixArticles(englishWords(c)));
    })
    .join(' ');
}

/** Builds the transducer of `spec` for world seed `seed` (its lexicon is seeded by both). */
export function buildTransducer(spec: LanguageSpec, seed: number): Transducer {
  checkLanguageSpec(spec);
  const lexicon = buildLexicon(spec, seed);
  const suffixes = allSuffixes(spec).sort((a, b) => b.length - a.length);
  const prefix = spec.articles.definite === 'prefix' ? spec.morphology.definitePrefix ?? '' : '';
  const translit = spec.script.transliteration ?? {};
  const untranslit = new Map(Object.entries(translit).map(([k, v]) => [v, k]));
  const digits = spec.numbers === 'native' ? [...spec.script.digits!] : null;
  const punctBack = new Map(Object.entries(spec.punctuation).map(([en, x]) => [x, en]));

  const lex = (w: Word): string => {
    const f = lexicon.forward.get(w.text);
    if (f === undefined) throw new GrammarError(`${spec.code}: no word for English "${w.text}" in the lexicon`);
    return f;
  };
  const headForm = (w: Word): string => {
    if (w.pos === 'name') {
      if (spec.names === 'shared') return w.text;
      return [...w.text.toLowerCase()].map((ch) => translit[ch] ?? ch).join('');
    }
    if (w.pos === 'num') return digits ? [...w.text].map((d) => digits[Number(d)]!).join('') : w.text;
    if (w.pos === 'blank') return w.text;
    return lex(w);
  };
  const attach = (head: Word, form: string, affix: Affix | undefined): string => {
    if (affix === undefined) return form;
    const suffix = chooseAffix(spec, affix, form);
    if (head.pos === 'name' || head.pos === 'blank' || head.pos === 'num') {
      const sep = spec.morphology.nameSuffixSeparator;
      return sep === undefined ? form : form + sep + suffix;
    }
    return form + suffix;
  };

  const realizeNp = (np: NounPhrase, affix: Affix | undefined): XToken[] => {
    const out: XToken[] = [];
    const d = np.det?.text;
    const definitePrefix = d === 'the' && spec.articles.definite === 'prefix' ? prefix : '';
    if (np.det) {
      const drop = (d === 'the' && spec.articles.definite !== 'word') || ((d === 'a' || d === 'an') && spec.articles.indefinite === 'drop');
      if (!drop) out.push({ form: lex(np.det), src: np.det });
    }
    const headTok: XToken = { form: definitePrefix + attach(np.head, headForm(np.head), affix), src: np.head };
    const adjToks = np.adjs.map((a) => ({ form: definitePrefix + lex(a), src: a }));
    if (spec.adjective === 'before') out.push(...adjToks, headTok);
    else out.push(headTok, ...adjToks);
    return out;
  };

  const realizeComp = (c: Complement, isObject: boolean): XToken[] => {
    if (c.kind === 'conj') return [{ form: lex(c.word), src: c.word }];
    if (c.kind === 'np') return realizeNp(c, isObject ? spec.morphology.objectSuffix : undefined);
    const caseAffix = spec.morphology.caseSuffixes?.[c.prep.text];
    if (caseAffix !== undefined) return realizeNp(c.np, caseAffix);
    const p: XToken = { form: lex(c.prep), src: c.prep };
    const np = realizeNp(c.np, undefined);
    return spec.adposition === 'preposition' ? [p, ...np] : [...np, p];
  };

  const realizeVp = (vp: VerbGroup, subj: XToken[]): XToken[] => {
    const verbs = vp.verbs.filter((v) => v.text !== 'does').map((v) => ({ form: lex(v), src: v }));
    const copula = vp.verbs.some((v) => COPULAS.has(v.text));
    let objectGiven = false;
    const comps = vp.comps.map((c) => {
      const isObject = !copula && !objectGiven && c.kind === 'np' && OBJECT_HEADS.has(c.head.pos);
      if (c.kind === 'np') objectGiven = true;
      return { c, toks: realizeComp(c, isObject) };
    });
    const pre = spec.adjunctsBeforeVerb ? comps.filter((x) => x.c.kind === 'pp') : [];
    const post = spec.adjunctsBeforeVerb ? comps.filter((x) => x.c.kind !== 'pp') : comps;
    const flat = (xs: typeof comps) => xs.flatMap((x) => x.toks);
    switch (spec.order) {
      case 'SVO':
        return [...subj, ...flat(pre), ...verbs, ...flat(post)];
      case 'SOV':
        return [...subj, ...flat(comps), ...verbs];
      case 'VSO':
        return [...verbs, ...subj, ...flat(comps)];
    }
  };

  const realizeClause = (clause: Clause): XToken[] => {
    const out: XToken[] = [];
    clause.vps.forEach((vp, i) => {
      if (i > 0) out.push({ form: lex({ text: 'and', pos: 'conj' }) });
      out.push(...realizeVp(vp, i === 0 && clause.subj ? realizeNp(clause.subj, undefined) : []));
    });
    if (clause.punct) out.push({ form: spec.punctuation[clause.punct as '.'] });
    return out;
  };

  const isLatinOrDigit = (ch: string | undefined) => !!ch && /[\p{Script=Latin}\d_']/u.test(ch);
  const joinTokens = (tokens: XToken[]): string => {
    let out = '';
    for (const t of tokens) {
      const isPunct = punctBack.has(t.form);
      if (out === '' || isPunct) out += t.form;
      else if (spec.separator === ' ') out += ' ' + t.form;
      else out += isLatinOrDigit(out[out.length - 1]) && isLatinOrDigit(t.form[0]) ? ' ' + t.form : t.form;
    }
    return out;
  };

  const toXTokens = (english: string) =>
    parseEnglish(english).map((clause) => ({ tokens: realizeClause(clause), english: englishWords(clause) }));

  // ------------------------------------------------------------ X -> English

  interface Analysed {
    word: Word;
    definite: boolean;
    /** A case suffix read as this preposition. */
    casePrep?: string;
  }

  const casePrepOf = new Map<string, string>();
  for (const [prep, a] of Object.entries(spec.morphology.caseSuffixes ?? {})) {
    for (const v of affixVariants(a)) if (!casePrepOf.has(v)) casePrepOf.set(v, prep);
  }
  const objectSuffixes = new Set(affixVariants(spec.morphology.objectSuffix));

  const lookup = (form: string): Word | undefined => {
    const en = lexicon.inverse.get(form);
    if (en !== undefined) return { text: en, pos: ENGLISH_POS[en]! };
    if (form === '___') return { text: '___', pos: 'blank' };
    if (digits && [...form].every((c) => digits.includes(c))) return { text: [...form].map((c) => String(digits.indexOf(c))).join(''), pos: 'num' };
    if (/^\d+$/.test(form)) return { text: form, pos: 'num' };
    if (spec.names === 'shared' && /^\p{Lu}[\p{Ll}]*$/u.test(form)) return { text: form, pos: 'name' };
    if (spec.names === 'transliterated' && form !== '' && [...form].every((c) => untranslit.has(c))) {
      const latin = [...form].map((c) => untranslit.get(c)!).join('');
      return { text: latin[0]!.toUpperCase() + latin.slice(1), pos: 'name' };
    }
    return undefined;
  };

  const analyse = (token: string, where: string): Analysed => {
    const sep = spec.morphology.nameSuffixSeparator;
    if (sep !== undefined && token.includes(sep)) {
      const [stem, suffix] = [token.slice(0, token.lastIndexOf(sep)), token.slice(token.lastIndexOf(sep) + sep.length)];
      const w = lookup(stem);
      if (w) return { word: w, definite: false, casePrep: casePrepOf.get(suffix) };
    }
    const tryStem = (t: string, definite: boolean): Analysed | undefined => {
      const w = lookup(t);
      if (w) return { word: w, definite };
      for (const s of suffixes) {
        if (t.length > s.length && t.endsWith(s)) {
          const stem = lexicon.inverse.get(t.slice(0, -s.length));
          if (stem !== undefined) {
            const word = { text: stem, pos: ENGLISH_POS[stem]! };
            if (objectSuffixes.has(s)) return { word, definite };
            return { word, definite, casePrep: casePrepOf.get(s) };
          }
        }
      }
      return undefined;
    };
    const plain = tryStem(token, false);
    if (plain) return plain;
    if (prefix && token.startsWith(prefix)) {
      const def = tryStem(token.slice(prefix.length), true);
      if (def) return def;
    }
    throw new GrammarError(`${where}: "${token}" is not a word of language "${spec.code}"`);
  };

  const segment = (body: string): string[] => {
    const pieces = body.split(/\s+/).filter((p) => p !== '');
    if (spec.script.kind !== 'logograms') return pieces;
    const per = spec.script.logogramsPerWord ?? 2;
    const out: string[] = [];
    for (const p of pieces) {
      for (const run of p.match(/[\p{Script=Han}]+|[^\p{Script=Han}]+/gu) ?? []) {
        if (/\p{Script=Han}/u.test(run)) for (let i = 0; i < run.length; i += per) out.push(run.slice(i, i + per));
        else out.push(run);
      }
    }
    return out;
  };

  type XChunk = { kind: 'verb'; words: Word[] } | { kind: 'and' } | { kind: 'comp'; comp: Complement };

  const chunkX = (toks: Analysed[], where: string): XChunk[] => {
    const chunks: XChunk[] = [];
    let i = 0;
    const readNp = (): NounPhrase & { casePrep?: string } => {
      let det: Word | undefined;
      let definite = false;
      const t0 = toks[i];
      if (t0 && (t0.word.pos === 'det' || t0.word.pos === 'whdet')) {
        det = t0.word;
        i++;
      }
      const adjs: Word[] = [];
      let head: Analysed | undefined;
      if (spec.adjective === 'before') {
        while (toks[i]?.word.pos === 'adj') adjs.push(toks[i++]!.word);
        if (toks[i] && OBJECT_HEADS.has(toks[i]!.word.pos) || toks[i]?.word.pos === 'num') head = toks[i++];
        else {
          const last = adjs.pop();
          if (!last) throw new GrammarError(`${where}: expected a noun phrase at token ${i + 1}`);
          head = { word: last, definite: false };
        }
      } else {
        head = toks[i++];
        if (!head) throw new GrammarError(`${where}: sentence ended inside a noun phrase`);
        if (head.word.pos === 'noun') {
          while (toks[i]?.word.pos === 'adj' && (spec.articles.definite !== 'prefix' || toks[i]!.definite === head.definite)) {
            adjs.push(toks[i++]!.word);
          }
        }
      }
      definite = head.definite;
      if (definite && !det) det = { text: 'the', pos: 'det' };
      return { kind: 'np', det, adjs, head: head.word, casePrep: head.casePrep };
    };
    while (i < toks.length) {
      const t = toks[i]!;
      const pos = t.word.pos;
      if (pos === 'verb' || pos === 'aux') {
        const words: Word[] = [];
        while (toks[i] && (toks[i]!.word.pos === 'verb' || toks[i]!.word.pos === 'aux')) words.push(toks[i++]!.word);
        chunks.push({ kind: 'verb', words });
      } else if (pos === 'conj') {
        i++;
        const next = toks[i]?.word.pos;
        const prevIsVerb = chunks[chunks.length - 1]?.kind === 'verb';
        const vpBoundary = spec.order === 'SOV' ? prevIsVerb : next === 'verb' || next === 'aux' || (spec.adjunctsBeforeVerb && next === 'prep');
        chunks.push(vpBoundary ? { kind: 'and' } : { kind: 'comp', comp: { kind: 'conj', word: t.word } });
      } else if (pos === 'prep' && spec.adposition === 'preposition') {
        i++;
        chunks.push({ kind: 'comp', comp: { kind: 'pp', prep: t.word, np: stripCase(readNp()) } });
      } else {
        const np = readNp();
        if (np.casePrep) chunks.push({ kind: 'comp', comp: { kind: 'pp', prep: { text: np.casePrep, pos: 'prep' }, np: stripCase(np) } });
        else if (spec.adposition === 'postposition' && toks[i]?.word.pos === 'prep') {
          chunks.push({ kind: 'comp', comp: { kind: 'pp', prep: toks[i++]!.word, np: stripCase(np) } });
        } else chunks.push({ kind: 'comp', comp: stripCase(np) });
      }
    }
    return chunks;
  };

  const stripCase = (np: NounPhrase & { casePrep?: string }): NounPhrase => ({ kind: 'np', det: np.det, adjs: np.adjs, head: np.head });

  const clauseFromX = (chunks: XChunk[], question: boolean, punct: string): Clause => {
    // split into verb groups at 'and' boundaries
    const groups: XChunk[][] = [[]];
    for (const c of chunks) {
      if (c.kind === 'and') groups.push([]);
      else groups[groups.length - 1]!.push(c);
    }
    let subj: NounPhrase | undefined;
    const vps: VerbGroup[] = groups.map((g, gi) => {
      const vIndex = g.findIndex((c) => c.kind === 'verb');
      const verbs = vIndex >= 0 ? (g[vIndex] as { kind: 'verb'; words: Word[] }).words : [];
      const imperative = verbs.length > 0 && IMPERATIVE_VERBS.has(verbs[0]!.text);
      let comps = g.filter((c) => c.kind === 'comp').map((c) => (c as { comp: Complement }).comp);
      if (gi === 0 && verbs.length > 0 && !imperative) {
        // the subject: first noun phrase before the verb (SVO, SOV) or right after it (VSO)
        const pool = spec.order === 'VSO' ? g.slice(vIndex + 1) : g.slice(0, vIndex);
        const s = pool.find((c) => c.kind === 'comp' && c.comp.kind === 'np') as { comp: NounPhrase } | undefined;
        if (s) {
          subj = s.comp;
          comps = comps.filter((c) => c !== s.comp);
        }
      }
      if (spec.adjunctsBeforeVerb) comps = [...comps.filter((c) => c.kind !== 'pp'), ...comps.filter((c) => c.kind === 'pp')];
      if (question && verbs.length > 0 && !verbs.some((v) => v.text === 'does')) verbs.unshift({ text: 'does', pos: 'aux' });
      return { verbs: verbs.filter((v) => v.text !== 'does'), comps };
    });
    return { subj, vps, question, punct };
  };

  const toEnglish = (x: string): string => {
    const puncts = [...punctBack.keys()].filter((p) => punctBack.get(p) !== ',');
    const sentences: { body: string; punct: string }[] = [];
    let cur = '';
    for (const ch of x) {
      if (puncts.includes(ch)) {
        sentences.push({ body: cur, punct: punctBack.get(ch)! });
        cur = '';
      } else cur += ch;
    }
    if (cur.trim() !== '') sentences.push({ body: cur, punct: '' });
    return sentences
      .map(({ body, punct }) => {
        const where = `${spec.code} sentence "${body.trim()}"`;
        const toks = segment(body).map((t) => analyse(t, where));
        const clause = clauseFromX(chunkX(toks, where), punct === '?', punct);
        return detokenizeEnglish(fixArticles(englishWords(clause)));
      })
      .join(' ');
  };

  return {
    spec,
    lexicon,
    toX: (english) => toXTokens(english).map((s) => joinTokens(s.tokens)).join(spec.separator === '' ? '' : ' '),
    toXTokens,
    toEnglish,
    word: (english) => {
      if (ENGLISH_POS[english] === undefined) return headForm({ text: english, pos: /^\d+$/.test(english) ? 'num' : 'name' });
      return lex({ text: english, pos: ENGLISH_POS[english]! });
    },
  };
}
