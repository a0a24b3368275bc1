/**
 * Each language's similarity gamma to English, read from a laboratory model's own
 * representations (paper Section 3.2; the retrieval score of src/similarity).
 *
 * Probe sentences: every fact statement the world's grammar can make about ONE invented
 * person ("Vomi works as a mason.", one per relation and value), in English and
 * transduced into X. All sentences share the name, so a model cannot pair a sentence
 * with its translation by the name alone (names are written alike in every built-in
 * language): it has to match the value word and the relation, which is what the model
 * must align between the two languages. Each sentence is mean-pooled over its tokens at
 * every layer; gamma is the retrieval score of the final (normed) layer, and the other
 * layers come along for the representation notebook.
 */

import { tf } from '../backend';
import * as path from 'node:path';
import { loadModel } from '../model/checkpoint';
import { writeNpy } from '../similarity/npy';
import type { Tokenizer } from '../model/tokenizer';
import type { Transformer } from '../model/transformer';
import { retrievalSimilarity, type SimilarityResult } from '../similarity/retrieval';
import { statement } from '../world/grammar';
import { drawStrangers } from '../world/kb';
import { Rng } from '../random/rng';
import type { World } from '../world/world';

export interface ModelSimilarity {
  lang: string;
  /** Retrieval score of the final layer: the gamma of the scaling law. */
  gamma: number;
  /** One result per hidden state: the input to each block, then the final normed state. */
  layers: SimilarityResult[];
  /** Number of sentence pairs. */
  n: number;
}

/** The English probe sentences and their X translations (see the module comment). */
export function similarityProbe(world: World, lang: string): { english: string[]; other: string[] } {
  const t = world.transducers.get(lang);
  if (!t) throw new RangeError(`similarity probe: language "${lang}" is not in this world (${world.languages.join(', ')})`);
  const [person] = drawStrangers(world.kb, new Rng(world.options.seed).fork('similarity-probe'), 1);
  const english: string[] = [];
  for (const rel of world.kb.options.relations) {
    for (const value of world.kb.values[rel]) english.push(statement({ name: person!.name, facts: { [rel]: value } }, rel, undefined, 0));
  }
  return { english, other: english.map((e) => t.toX(e)) };
}

/** Mean-pooled hidden states of `texts` at every layer: layers x [n, d] row-major. */
export async function meanStates(model: Transformer, tok: Tokenizer, texts: readonly string[], batchSize = 32): Promise<Float32Array[]> {
  const d = model.config.dModel;
  const nStates = model.config.nLayers + 1;
  const out = Array.from({ length: nStates }, () => new Float32Array(texts.length * d));
  for (let s = 0; s < texts.length; s += batchSize) {
    const ids = texts.slice(s, s + batchSize).map((x) => tok.encode(x).slice(0, model.config.maxSeqLen));
    const t = Math.max(1, ...ids.map((r) => r.length));
    const flat = new Int32Array(ids.length * t).fill(tok.special.pad);
    const mask = new Int32Array(ids.length * t);
    ids.forEach((r, i) => r.forEach((v, j) => {
      flat[i * t + j] = v;
      mask[i * t + j] = 1;
    }));
    const idsT = tf.tensor2d(flat, [ids.length, t], 'int32');
    const maskT = tf.tensor2d(mask, [ids.length, t], 'int32');
    const res = model.forward(idsT, { hidden: true, attentionMask: maskT });
    try {
      for (const [layer, h] of res.meanHidden!.entries()) out[layer]!.set((await h.data()) as Float32Array, s * d);
    } finally {
      tf.dispose([idsT, maskT, res.logits, ...(res.hidden ?? []), ...(res.meanHidden ?? [])]);
    }
  }
  return out;
}

/** gamma of `lang` from `model` (see the module comment). */
export async function modelSimilarity(model: Transformer, tok: Tokenizer, world: World, lang: string): Promise<ModelSimilarity> {
  const { english, other } = similarityProbe(world, lang);
  const e = await meanStates(model, tok, english);
  const f = await meanStates(model, tok, other);
  const d = model.config.dModel;
  const layers = e.map((el, i) => retrievalSimilarity({ rows: english.length, cols: d, data: el }, { rows: english.length, cols: d, data: f[i]! }, ['en', lang]));
  return { lang, gamma: layers.at(-1)!.similarity, layers, n: english.length };
}

/** gamma of each of `langs` from the model saved in `modelDir` (e.g. the base model), by language. */
export async function modelGammas(modelDir: string, world: World, langs: readonly string[]): Promise<Record<string, number>> {
  const loaded = loadModel(modelDir);
  if (!loaded.tokenizer) throw new Error(`${modelDir}: model has no tokenizer.json`);
  try {
    const out: Record<string, number> = {};
    for (const lang of langs) out[lang] = (await modelSimilarity(loaded.model, loaded.tokenizer, world, lang)).gamma;
    return out;
  } finally {
    loaded.model.dispose();
  }
}

/**
 * The final-layer mean-pooled states of parallel sentences from the model in `modelDir`,
 * written as `DIR/en.npy` and `DIR/LANG.npy` (float32, sentences x dimensions): the files
 * a user brings from a real model (docs/bridge.md), here from a laboratory model.
 */
export async function writeSentenceStates(modelDir: string, english: readonly string[], other: readonly string[], dir: string, lang: string): Promise<{ english: string; other: string }> {
  if (english.length !== other.length || english.length === 0) throw new RangeError(`sentence states: ${english.length} English and ${other.length} ${lang} sentences; give the same non-zero number`);
  const loaded = loadModel(modelDir);
  if (!loaded.tokenizer) throw new Error(`${modelDir}: model has no tokenizer.json`);
  try {
    const d = loaded.model.config.dModel;
    const files = { english: path.join(dir, 'en.npy'), other: path.join(dir, `${lang}.npy`) };
    writeNpy(files.english, (await meanStates(loaded.model, loaded.tokenizer, english)).at(-1)!, [english.length, d]);
    writeNpy(files.other, (await meanStates(loaded.model, loaded.tokenizer, other)).at(-1)!, [other.length, d]);
    return files;
  } finally {
    loaded.model.dispose();
  }
}
