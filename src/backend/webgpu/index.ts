/**
 * Hand-written WGSL kernels for the training step on the webgpu backend, each doing in
 * one dispatch what tfjs's op-by-op graph does in several (docs/speed.md: per-op
 * dispatch is what keeps a small model far from PyTorch on a GPU):
 * - ./adamw.ts: AdamW's update and the global gradient norm;
 * - ./norms.ts: RMSNorm and LayerNorm, forward and backward, and a bias's gradient;
 * - ./pointwise.ts: SwiGLU, GELU and the rotary position embedding, on the projections'
 *   outputs as they come (gate and up side by side; q, k and v side by side);
 * - ./attention.ts: causal multi-head attention, forward and backward, with no score
 *   tensor in memory;
 * - ./embedding.ts: the embedding table's gradient, added in a fixed order;
 * - ./program.ts: how the kernels are written and run.
 * src/model/fused.ts gives the model's ops their gradients through them, and
 * src/train/optim.ts the optimiser (`fastPaths.fusedOps`, `fastPaths.fusedAdamW`).
 * They compute what the tfjs ops compute, in float32; a GPU may round `exp`, `sqrt` and
 * division differently in the last bit, and reductions add in another order, so results
 * agree with the cpu backend to about 1e-6 relative, not bit for bit (tested on lavapipe).
 */

export { adamMoments, adamParam, addSumOfSquares, SUM_OF_SQUARES_GROUP } from './adamw';
export { ATTENTION_MAX_HEAD, type AttentionShape, attentionForward, attentionGrad, attentionStats } from './attention';
export { embeddingGrad } from './embedding';
export { columnSum, layerNormForward, layerNormGradW, layerNormGradX, layerNormStats, rmsNormForward, rmsNormGradW, rmsNormGradX, rmsNormScale } from './norms';
export { gelu, type RotaryLayout, rotary, swiglu, swigluGrad } from './pointwise';
