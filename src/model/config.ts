/**
 * Configuration of the laboratory transformer, in the two families of the paper's base
 * models (Section 4.1: LLaMA-7B and Pythia-6.9B):
 * - `llama`: RMSNorm, rotary positions on all head dims, SwiGLU MLP, no biases,
 *   sequential attention then MLP;
 * - `neox` (Pythia / GPT-NeoX): LayerNorm with bias, rotary on a fraction of head dims,
 *   GELU MLP with biases, attention and MLP in parallel from the same input.
 */

export type ModelFamily = 'llama' | 'neox';

export interface ModelConfig {
  family: ModelFamily;
  vocabSize: number;
  dModel: number;
  nLayers: number;
  nHeads: number;
  /** Hidden width of the MLP. */
  dFf: number;
  /** Longest sequence (prompt + generated) the model accepts. */
  maxSeqLen: number;
  /** Output projection shares the input embedding matrix. */
  tiedEmbeddings: boolean;
  /** Fraction of each head's dims that rotate (LLaMA 1, Pythia 0.25). */
  rotaryFraction: number;
  ropeBase: number;
  normEps: number;
  /** Std of the normal initialisation (output projections are scaled by 1/sqrt(2 nLayers)). */
  initStd: number;
}

/** Defaults for a family, overridden by `overrides`; the result is validated. */
export function modelConfig(overrides: Partial<ModelConfig> & { family?: ModelFamily } = {}): ModelConfig {
  const family = overrides.family ?? 'llama';
  const d = overrides.dModel ?? 128;
  const base: ModelConfig = {
    family,
    vocabSize: 512,
    dModel: d,
    nLayers: 4,
    nHeads: 4,
    dFf: family === 'llama' ? Math.round((8 * d) / 3 / 8) * 8 : 4 * d,
    maxSeqLen: 128,
    tiedEmbeddings: false,
    rotaryFraction: family === 'llama' ? 1 : 0.25,
    ropeBase: 10000,
    normEps: family === 'llama' ? 1e-6 : 1e-5,
    initStd: 0.02,
  };
  const cfg = { ...base, ...overrides, family };
  validateModelConfig(cfg);
  return cfg;
}

const INT_FIELDS = ['vocabSize', 'dModel', 'nLayers', 'nHeads', 'dFf', 'maxSeqLen'] as const;

/** Throws an error naming the field when `cfg` is not a valid ModelConfig. */
export function validateModelConfig(cfg: unknown, source = 'model config'): asserts cfg is ModelConfig {
  const c = cfg as Record<string, unknown>;
  if (!c || typeof c !== 'object') throw new Error(`${source}: expected an object`);
  const known = new Set(['family', ...INT_FIELDS, 'tiedEmbeddings', 'rotaryFraction', 'ropeBase', 'normEps', 'initStd']);
  for (const k of Object.keys(c)) if (!known.has(k)) throw new Error(`${source}: unknown field "${k}"`);
  if (c.family !== 'llama' && c.family !== 'neox') throw new Error(`${source}: field "family" must be "llama" or "neox", got ${JSON.stringify(c.family)}`);
  for (const k of INT_FIELDS) {
    if (!Number.isInteger(c[k]) || (c[k] as number) < 1) throw new Error(`${source}: field "${k}" must be a positive integer, got ${JSON.stringify(c[k])}`);
  }
  if ((c.dModel as number) % (c.nHeads as number) !== 0) throw new Error(`${source}: dModel ${c.dModel} is not divisible by nHeads ${c.nHeads}`);
  if (((c.dModel as number) / (c.nHeads as number)) % 2 !== 0) throw new Error(`${source}: head size dModel/nHeads must be even for rotary positions`);
  if (typeof c.tiedEmbeddings !== 'boolean') throw new Error(`${source}: field "tiedEmbeddings" must be a boolean`);
  for (const k of ['rotaryFraction', 'ropeBase', 'normEps', 'initStd']) {
    if (typeof c[k] !== 'number' || !((c[k] as number) > 0)) throw new Error(`${source}: field "${k}" must be a positive number, got ${JSON.stringify(c[k])}`);
  }
  if ((c.rotaryFraction as number) > 1) throw new Error(`${source}: field "rotaryFraction" must be in (0, 1]`);
}

/** Names and shapes of every parameter, in a fixed order (checkpoints check against it). */
export function parameterShapes(cfg: ModelConfig): [string, number[]][] {
  const { vocabSize: v, dModel: d, dFf: f } = cfg;
  const out: [string, number[]][] = [['embed', [v, d]]];
  const neox = cfg.family === 'neox';
  for (let i = 0; i < cfg.nLayers; i++) {
    const p = `layers.${i}.`;
    out.push([p + 'attn_norm.weight', [d]]);
    if (neox) out.push([p + 'attn_norm.bias', [d]]);
    out.push([p + 'attn.wqkv', [d, 3 * d]]);
    if (neox) out.push([p + 'attn.bqkv', [3 * d]]);
    out.push([p + 'attn.wo', [d, d]]);
    if (neox) out.push([p + 'attn.bo', [d]]);
    out.push([p + 'mlp_norm.weight', [d]]);
    if (neox) {
      out.push([p + 'mlp_norm.bias', [d]]);
      out.push([p + 'mlp.w_in', [d, f]], [p + 'mlp.b_in', [f]], [p + 'mlp.w_out', [f, d]], [p + 'mlp.b_out', [d]]);
    } else {
      out.push([p + 'mlp.w_gate_up', [d, 2 * f]], [p + 'mlp.w_down', [f, d]]);
    }
  }
  out.push(['final_norm.weight', [d]]);
  if (neox) out.push(['final_norm.bias', [d]]);
  if (!cfg.tiedEmbeddings) out.push(['lm_head', [d, v]]);
  return out;
}

/** Number of parameters. */
export function parameterCount(cfg: ModelConfig): number {
  return parameterShapes(cfg).reduce((s, [, shape]) => s + shape.reduce((a, b) => a * b, 1), 0);
}

/**
 * Floating-point operations of one training step (forward + backward) on `tokens`
 * tokens of length `seqLen`: 6 per matmul weight per token (embedding one-hot product
 * and output head included, as they are real matmuls here) plus attention's
 * 12 * layers * seqLen * dModel per token (Kaplan et al. 2020; PaLM appendix B).
 */
export function trainFlopsPerStep(cfg: ModelConfig, tokens: number, seqLen: number): number {
  const matmulWeights = parameterShapes(cfg)
    .filter(([, s]) => s.length === 2)
    .reduce((sum, [, s]) => sum + s[0]! * s[1]!, 0) + (cfg.tiedEmbeddings ? cfg.vocabSize * cfg.dModel : 0);
  return tokens * (6 * matmulWeights + 12 * cfg.nLayers * seqLen * cfg.dModel);
}
