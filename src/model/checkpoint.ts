/**
 * Model checkpoints: a folder with `model.safetensors` (weights), `config.json`
 * (the {@link ModelConfig}) and `tokenizer.json`. Each file is written atomically;
 * loading checks every name and shape against the config and says what is wrong.
 * Used by `xalign train` / `xalign generate` and by notebooks that reuse a base model.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../io/atomic';
import { type ModelConfig, parameterShapes, validateModelConfig } from './config';
import { decodeSafetensors, encodeSafetensors, type NamedArray } from './safetensors';
import { type Tokenizer, tokenizerFromJSON } from './tokenizer';
import { Transformer } from './transformer';

export const WEIGHTS_FILE = 'model.safetensors';
export const CONFIG_FILE = 'config.json';
export const TOKENIZER_FILE = 'tokenizer.json';

/** Writes model weights, config and (if given) tokenizer into `dir`. */
export async function saveModel(dir: string, model: Transformer, tokenizer?: Tokenizer): Promise<void> {
  const tensors = new Map<string, NamedArray>();
  for (const [name, w] of await model.weights()) tensors.set(name, w);
  fs.mkdirSync(dir, { recursive: true });
  writeFileAtomic(path.join(dir, WEIGHTS_FILE), encodeSafetensors(tensors, { format: 'xalign', family: model.config.family }));
  writeJsonAtomic(path.join(dir, CONFIG_FILE), model.config);
  if (tokenizer) writeJsonAtomic(path.join(dir, TOKENIZER_FILE), tokenizer.toJSON());
}

/**
 * Checks `tensors` against the parameters `config` implies: no missing or unexpected
 * names, every shape equal. Returns the data by name; throws one error listing problems.
 */
export function checkWeights(config: ModelConfig, tensors: Map<string, NamedArray>, source: string): Map<string, Float32Array> {
  const problems: string[] = [];
  const out = new Map<string, Float32Array>();
  const expected = parameterShapes(config);
  const names = new Set(expected.map(([n]) => n));
  for (const [name, shape] of expected) {
    const t = tensors.get(name);
    if (!t) problems.push(`missing tensor "${name}" [${shape}]`);
    else if (t.shape.length !== shape.length || t.shape.some((s, i) => s !== shape[i])) {
      problems.push(`tensor "${name}" has shape [${t.shape}], expected [${shape}]`);
    } else if (!(t.data instanceof Float32Array)) problems.push(`tensor "${name}" is not F32`);
    else out.set(name, t.data);
  }
  for (const name of tensors.keys()) if (!names.has(name)) problems.push(`unexpected tensor "${name}"`);
  if (problems.length) throw new Error(`${source}: weights do not match the config (${config.family}, d ${config.dModel}, ${config.nLayers} layers): ${problems.join('; ')}`);
  return out;
}

/** Loads a checkpoint folder; the tokenizer is undefined when the folder has none. */
export function loadModel(dir: string): { model: Transformer; config: ModelConfig; tokenizer?: Tokenizer } {
  const cfgPath = path.join(dir, CONFIG_FILE);
  const wPath = path.join(dir, WEIGHTS_FILE);
  for (const f of [cfgPath, wPath]) if (!fs.existsSync(f)) throw new Error(`checkpoint ${dir}: missing ${path.basename(f)}`);
  const config = JSON.parse(fs.readFileSync(cfgPath, 'utf8')) as ModelConfig;
  validateModelConfig(config, cfgPath);
  const { tensors } = decodeSafetensors(new Uint8Array(fs.readFileSync(wPath)), wPath);
  const weights = checkWeights(config, tensors, wPath);
  const tokPath = path.join(dir, TOKENIZER_FILE);
  const tokenizer = fs.existsSync(tokPath) ? tokenizerFromJSON(JSON.parse(fs.readFileSync(tokPath, 'utf8')), tokPath) : undefined;
  return { model: new Transformer(config, weights), config, tokenizer };
}
