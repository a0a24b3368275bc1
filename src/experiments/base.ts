/**
 * The base model of the laboratory: pre-training on the miniature world's corpus, the
 * manifest written next to a checkpoint, and the probes of what a base model knows
 * (held-out facts per language, copying from its context). A committed base folder whose
 * manifest matches the spec is used as is and probed in seconds.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { writeFileAtomic, writeJsonAtomic } from '../io/atomic';
import { loadModel, saveModel } from '../model/checkpoint';
import { modelConfig } from '../model/config';
import { generate, sequenceLogLikelihoods } from '../model/generate';
import { BpeTokenizer, type Tokenizer } from '../model/tokenizer';
import { Transformer } from '../model/transformer';
import { PROJECT_ROOT } from '../provenance';
import { Rng } from '../random/rng';
import type { Example } from '../train/data';
import { train, type TrainEvent } from '../train/trainer';
import { buildWorld, type World } from '../world/world';
import { probeContextRecall, probeCopying } from './copy-probe';
import { scoreTask } from './evaluate';
import { machineInfo, type MachineInfo, runProvenance, type RunOptions, type RunOutcome, trainingSummary } from './run';
import { type BaseSpec, pretrainConfig } from './spec';
import { configHash, type ExperimentResult, type MetricValues } from './store';

/** What `xalign world pretrain` writes next to a base checkpoint. */
export interface BaseManifest {
  command: string;
  commit: string;
  seed: number;
  backend: string;
  machine: MachineInfo;
  configHash: string;
  preset: string;
  time: string;
  steps: number;
  /** The first training losses: a re-run must reproduce them (test). */
  firstLosses: number[];
  finalLoss: number;
  /** sha256 of each file of the checkpoint. */
  sha256: Record<string, string>;
  spec: BaseSpec;
}

export const MANIFEST_FILE = 'manifest.json';

function sha256File(f: string): string {
  return createHash('sha256').update(fs.readFileSync(f)).digest('hex');
}

/** Reads a base folder's manifest, or null when there is none. */
export function readManifest(dir: string): BaseManifest | null {
  const f = path.join(dir, MANIFEST_FILE);
  return fs.existsSync(f) ? (JSON.parse(fs.readFileSync(f, 'utf8')) as BaseManifest) : null;
}

/**
 * Held-out-fact completion by the base model (docs/world.md), two
 * ways for the knowledge test clozes of each language:
 * - `contains` / `containsAny`: the text before the blank is continued greedily; strict
 *   counts the value in the probed language, any-language also its English word. In
 *   verb-final word orders the text before the blank is little more than the name, so
 *   this is a floor there (docs/world.md);
 * - `rank`: the cloze filled with each value of its relation is scored by likelihood
 *   (after an end-of-text token, as pre-training packs documents), and the true sentence
 *   must come first, mLAMA-style; chance is 1 / `valuesPerRelation`. Word order does not
 *   matter.
 * All three in %.
 */
export async function probeFacts(model: Transformer, tok: Tokenizer, world: World, langs: readonly string[], n: number): Promise<Record<string, MetricValues>> {
  const out: Record<string, MetricValues> = {};
  for (const lang of langs) {
    const recs = world.examples('knowledge', lang, 'test', n);
    const prompts = recs.map((r) => {
      const pre = r.input!.split('___')[0]!.trimEnd();
      const ids = tok.encode(pre);
      return ids.length > 0 ? ids : [tok.special.eos];
    });
    const hyps: string[] = [];
    for (let s = 0; s < prompts.length; s += 16) {
      const gen = await generate(model, prompts.slice(s, s + 16), { maxNewTokens: 6, stopTokens: [tok.special.eos], padToken: tok.special.pad });
      hyps.push(...gen.map((g) => tok.decode(g, { skipSpecial: true })));
    }
    const m = scoreTask('knowledge', lang, recs, hyps);
    const choices = world.knowledgeChoices(lang, 'test', n);
    const ll = await sequenceLogLikelihoods(
      model,
      choices.flatMap((c) => c.sentences.map((t) => [tok.special.eos, ...tok.encode(t), tok.special.eos])),
    );
    let k = 0;
    let right = 0;
    for (const c of choices) {
      const scores = ll.slice(k, k + c.sentences.length);
      k += c.sentences.length;
      const best = scores.indexOf(Math.max(...scores));
      if (best === c.gold) right++;
    }
    out[lang] = { contains: m.contains!, containsAny: m.containsAny!, rank: choices.length ? (100 * right) / choices.length : 0 };
  }
  return out;
}

/**
 * What a base model is probed for: held-out fact completion per language
 * ({@link probeFacts}), and in English whether it copies from its context and reads a
 * stated fact back from it (`copying.en`: {@link probeCopying}'s `first` and `second`,
 * {@link probeContextRecall}'s `contextRecall`, %).
 */
async function probeBase(model: Transformer, tok: Tokenizer, world: World, spec: BaseSpec): Promise<Record<string, Record<string, MetricValues>>> {
  return {
    'fact-completion': await probeFacts(model, tok, world, spec.probe.langs, spec.probe.n),
    copying: { en: { ...(await probeCopying(model, tok, world)), contextRecall: await probeContextRecall(model, tok, world) } },
  };
}

/** {@link probeBase} of the base checkpoint in `dir` (model and tokenizer), as its spec asks. */
async function probeCheckpoint(dir: string, spec: BaseSpec): Promise<Record<string, Record<string, MetricValues>>> {
  const loaded = loadModel(dir);
  try {
    if (!loaded.tokenizer) throw new Error(`${dir}: base model has no tokenizer.json`);
    return await probeBase(loaded.model, loaded.tokenizer, buildWorld(spec.world), spec);
  } finally {
    loaded.model.dispose();
  }
}

/** Whether a stored base result has every probe metric of this version (`rank`, then `copying`, came later). */
function probeIsCurrent(r: ExperimentResult<BaseSpec>): boolean {
  const fc = r.metrics['fact-completion'];
  return !!fc && r.spec.probe.langs.every((l) => fc[l]?.rank !== undefined) && r.metrics.copying?.en?.contextRecall !== undefined;
}

/** What pre-training a base model starts from: the world, its corpus as examples, the BPE fitted to it, the freshly initialised model. */
function prepareBase(spec: BaseSpec): { world: World; tok: BpeTokenizer; examples: Example[]; model: Transformer } {
  const world = buildWorld(spec.world);
  const texts = world.corpus().docs.map((d) => d.text);
  const tok = BpeTokenizer.train(texts, spec.tokenizer.vocabSize);
  const examples: Example[] = texts.map((t) => ({ prompt: [], response: [...tok.encode(t), tok.special.eos] }));
  const model = new Transformer(modelConfig({ ...spec.model, vocabSize: tok.vocabSize }), new Rng(spec.train.seed).fork('init'));
  return { world, tok, examples, model };
}

/** The warning that `baseDir` holds a base made from another config than `spec` (so the store's base is used), or null. */
export function baseDirMismatch(spec: BaseSpec, baseDir: string | undefined): string | null {
  const m = baseDir ? readManifest(baseDir) : null;
  const hash = configHash(spec);
  return m && m.configHash !== hash ? `base ${baseDir} was made from another config (hash ${m.configHash}, wanted ${hash}); using the store's base ${hash}, pre-trained first if the store lacks it` : null;
}

/**
 * The base model a {@link BaseSpec} describes when it is ready to tune from without any
 * work (its model in `o.baseDir` or in the store, and its current probe in the store),
 * else null: what {@link runPretrain} returns at once, so a pool can tell which runs may
 * start while other bases are still being made.
 */
export function storedBase(spec: BaseSpec, o: Pick<RunOptions, 'store' | 'baseDir'>): RunOutcome<BaseSpec> | null {
  const hash = configHash(spec);
  const stored = o.store.get<BaseSpec>(hash);
  if (!stored || !probeIsCurrent(stored)) return null;
  if (o.baseDir && readManifest(o.baseDir)?.configHash === hash) return { result: stored, reused: true, modelDir: o.baseDir };
  const modelDir = path.join(o.store.runDir(hash), 'model');
  return fs.existsSync(path.join(modelDir, MANIFEST_FILE)) ? { result: stored, reused: true, modelDir } : null;
}

/**
 * Pre-trains (or reuses) the base model a {@link BaseSpec} describes; writes the model
 * and its manifest to the store's run folder (`runs/HASH/model`).
 */
export async function runPretrain(spec: BaseSpec, o: RunOptions): Promise<RunOutcome<BaseSpec>> {
  const hash = configHash(spec);
  const m = o.baseDir ? readManifest(o.baseDir) : null;
  const mismatch = baseDirMismatch(spec, o.baseDir);
  if (mismatch) o.log?.(mismatch);
  const ready = storedBase(spec, o);
  if (ready) return ready;
  const command = o.command ?? `npx xalign world pretrain --preset ${o.preset}`;
  if (o.baseDir && m && m.configHash === hash) {
    // A committed checkpoint: probe what it knows (seconds), and store that as its result.
    const metrics = await probeCheckpoint(o.baseDir, spec);
    const result: ExperimentResult<BaseSpec> = {
      version: 1, kind: 'pretrain', label: `base model (${o.baseDir})`, spec, metrics,
      provenance: { commit: m.commit, preset: m.preset, configHash: hash, backend: m.backend, seed: m.seed, time: m.time, command: m.command },
      training: { steps: m.steps, losses: m.firstLosses, seconds: 0, tokensPerSec: 0 },
    };
    o.store.put(result);
    return { result, reused: true, modelDir: o.baseDir };
  }
  const modelDir = path.join(o.store.runDir(hash), 'model');
  const stored = o.store.get<BaseSpec>(hash);
  if (stored && fs.existsSync(path.join(modelDir, MANIFEST_FILE))) {
    // stored by a version without the likelihood-ranking probe: probe again, keep the rest
    const result = { ...stored, metrics: { ...stored.metrics, ...(await probeCheckpoint(modelDir, spec)) } };
    o.store.put(result);
    return { result, reused: true, modelDir };
  }
  const t0 = performance.now();
  const { world, tok, examples, model } = prepareBase(spec);
  try {
    const tr = await train({
      model, tokenizer: tok, train: examples, config: pretrainConfig(spec),
      checkpointDir: path.join(o.store.runDir(hash), 'checkpoints'),
      onEvent: (e) => o.onEvent?.({ ...e, phase: 'pretrain' }),
    });
    await saveModel(modelDir, model, tok);
    const metrics = await probeBase(model, tok, world, spec);
    const seconds = (performance.now() - t0) / 1000;
    const prov = runProvenance(hash, spec.train.seed, o, command);
    const manifest: BaseManifest = {
      command, commit: prov.commit, seed: spec.train.seed, backend: o.backend, machine: machineInfo(), configHash: hash, preset: o.preset, time: prov.time,
      steps: tr.steps, firstLosses: tr.losses.slice(0, 5), finalLoss: tr.losses.at(-1)!,
      sha256: Object.fromEntries(['model.safetensors', 'config.json', 'tokenizer.json'].map((f) => [f, sha256File(path.join(modelDir, f))])),
      spec,
    };
    writeJsonAtomic(path.join(modelDir, MANIFEST_FILE), manifest);
    const result: ExperimentResult<BaseSpec> = {
      version: 1, kind: 'pretrain', label: `base model (${o.preset})`, spec, provenance: prov, metrics,
      training: trainingSummary(tr, seconds),
    };
    o.store.put(result);
    return { result, reused: false, modelDir };
  } finally {
    model.dispose();
  }
}

/**
 * The first `steps` training losses of the base model `spec` describes, computed afresh
 * (world, corpus, BPE, initialisation, data order) and without writing anything: what a
 * committed base's manifest records as `firstLosses` (its command must reproduce them).
 */
export async function pretrainFirstLosses(spec: BaseSpec, steps: number, onEvent?: (e: TrainEvent) => void): Promise<number[]> {
  const { tok, examples, model } = prepareBase(spec);
  try {
    const tr = await train({ model, tokenizer: tok, train: examples, config: pretrainConfig(spec), stopAfter: steps, onEvent });
    return tr.losses;
  } finally {
    model.dispose();
  }
}

/** Where a committed base checkpoint of a preset lives: data/world/base-PRESET, or base-PRESET-FAMILY for a family other than llama (see `xalign world pretrain --out`). */
export function committedBaseDir(preset: string, family: string = 'llama'): string {
  return path.join(PROJECT_ROOT, 'data', 'world', family === 'llama' ? `base-${preset}` : `base-${preset}-${family}`);
}

/** Copies a base model folder (weights, config, tokenizer, manifest) to `out`, atomically per file. */
export function copyBase(modelDir: string, out: string): string[] {
  fs.mkdirSync(out, { recursive: true });
  const files = ['model.safetensors', 'config.json', 'tokenizer.json', MANIFEST_FILE];
  for (const f of files) writeFileAtomic(path.join(out, f), fs.readFileSync(path.join(modelDir, f)));
  return files.map((f) => path.join(out, f));
}
