/**
 * A training run described by one JSON file (what `xalign train --config FILE.json`
 * runs; notebooks may call {@link runTrainingFile} too):
 *
 * ```json
 * {
 *   "out": "runs/tiny",                      // checkpoints and the final model (required)
 *   "backend": "auto",                       // optional; XALIGN_BACKEND still wins
 *   "tokenizer": {"type": "bytes"},          // or {"type": "bpe", "vocabSize": 400}, or {"file": "tok.json"}
 *   "model": {"family": "llama", "dModel": 64, "nLayers": 2, "nHeads": 2, "maxSeqLen": 64},
 *   "init": "runs/base/model",               // optional: start from a saved model
 *   "train": {"steps": 200, "lr": 0.001, "objective": "instruction"},
 *   "data": {"train": "train.jsonl", "eval": "eval.jsonl"}
 * }
 * ```
 * Data files: Alpaca records `{"instruction", "input"?, "output"}` (a JSON array, or
 * JSON Lines when the name ends in .jsonl; read by src/data/records.ts) for instruction
 * tuning, JSON Lines of `{"text"}` for language modelling. Relative paths
 * are resolved against the config file's folder. The vocabulary size comes from the
 * tokenizer. The run resumes from `out` when it holds a checkpoint.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { type BackendChoice, selectBackend } from '../backend';
import { compactPrompt, readAlpaca, readJsonl } from '../data/records';
import { loadModel, saveModel } from '../model/checkpoint';
import { type ModelConfig, modelConfig } from '../model/config';
import { BpeTokenizer, ByteTokenizer, encodeInstruction, type Tokenizer, tokenizerFromJSON } from '../model/tokenizer';
import { Transformer } from '../model/transformer';
import { Rng } from '../random/rng';
import type { Example } from './data';
import { type TrainEvent, type TrainResult, train, trainConfig } from './trainer';

export interface RunFile {
  out: string;
  backend?: string;
  tokenizer?: { type?: 'bytes' | 'bpe'; vocabSize?: number; file?: string };
  model?: Partial<ModelConfig>;
  init?: string;
  train?: Record<string, unknown>;
  data: { train: string; eval?: string };
}

const RUN_KEYS = ['out', 'backend', 'tokenizer', 'model', 'init', 'train', 'data'];

/** Turns records into examples: instruction records or text records; errors name file and line. */
export function recordsToExamples(records: Record<string, unknown>[], tok: Tokenizer, objective: 'instruction' | 'lm', file: string): Example[] {
  return records.map((r, i) => {
    if (objective === 'lm') {
      if (typeof r.text !== 'string') throw new Error(`${file}:${i + 1}: expected a "text" string for language modelling`);
      return { prompt: [], response: [...tok.encode(r.text), tok.special.eos] };
    }
    if (typeof r.instruction !== 'string' || typeof r.output !== 'string') {
      throw new Error(`${file}:${i + 1}: expected "instruction" and "output" strings`);
    }
    return encodeInstruction(tok, compactPrompt({ instruction: r.instruction, input: typeof r.input === 'string' ? r.input : '' }), r.output);
  });
}

/** Runs the training described by `file`; returns the result, the model folder and the backend. */
export async function runTrainingFile(
  file: string,
  options: { onEvent?: (e: TrainEvent) => void; resume?: boolean } = {},
): Promise<{ result: TrainResult; modelDir: string; backend: BackendChoice }> {
  const base = path.dirname(path.resolve(file));
  const spec = JSON.parse(fs.readFileSync(file, 'utf8')) as RunFile;
  for (const k of Object.keys(spec)) if (!RUN_KEYS.includes(k)) throw new Error(`${file}: unknown field "${k}"; known: ${RUN_KEYS.join(', ')}`);
  if (typeof spec.out !== 'string') throw new Error(`${file}: field "out" (output folder) is required`);
  if (!spec.data || typeof spec.data.train !== 'string') throw new Error(`${file}: field "data.train" (a JSON Lines file) is required`);
  const at = (p: string) => path.resolve(base, p);
  const out = at(spec.out);
  const tc = trainConfig(spec.train ?? {}, `${file}: train`);
  const backend = await selectBackend(spec.backend ?? 'auto');

  let tok: Tokenizer;
  let model: Transformer;
  const read = (f: string): Record<string, unknown>[] =>
    tc.objective === 'instruction' ? (readAlpaca(f) as unknown as Record<string, unknown>[]) : readJsonl<Record<string, unknown>>(f);
  const trainRecords = read(at(spec.data.train));
  if (spec.init) {
    const loaded = loadModel(at(spec.init));
    if (!loaded.tokenizer) throw new Error(`${file}: init model ${spec.init} has no tokenizer.json`);
    [tok, model] = [loaded.tokenizer, loaded.model];
  } else {
    const t = spec.tokenizer ?? { type: 'bytes' };
    if (t.file) tok = tokenizerFromJSON(JSON.parse(fs.readFileSync(at(t.file), 'utf8')), at(t.file));
    else if (t.type === 'bpe') {
      const texts = trainRecords.map((r) => [r.text, r.instruction, r.input, r.output].filter((v) => typeof v === 'string').join('\n'));
      tok = BpeTokenizer.train(texts, t.vocabSize ?? 512);
    } else tok = new ByteTokenizer();
    const cfg = modelConfig({ ...(spec.model ?? {}), vocabSize: tok.vocabSize, maxSeqLen: Math.max(spec.model?.maxSeqLen ?? 0, tc.seqLen + 1) });
    model = new Transformer(cfg, new Rng(tc.seed).fork('init'));
  }
  const trainEx = recordsToExamples(trainRecords, tok, tc.objective, at(spec.data.train));
  const evalEx = spec.data.eval ? recordsToExamples(read(at(spec.data.eval)), tok, tc.objective, at(spec.data.eval)) : undefined;
  try {
    const result = await train({
      model,
      tokenizer: tok,
      train: trainEx,
      eval: evalEx,
      config: tc,
      checkpointDir: path.join(out, 'checkpoints'),
      resume: options.resume,
      onEvent: options.onEvent,
    });
    const modelDir = path.join(out, 'model');
    await saveModel(modelDir, model, tok);
    return { result, modelDir, backend };
  } finally {
    model.dispose();
  }
}
