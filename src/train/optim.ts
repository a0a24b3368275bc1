/**
 * AdamW (Loshchilov and Hutter 2019) with decoupled weight decay on matrices only,
 * global-norm gradient clipping, and the cosine learning-rate schedule with linear
 * warm-up over the first 3% of steps used by the paper's public training code
 * (Stanford Alpaca recipe: `warmup_ratio 0.03`, `lr_scheduler_type cosine`).
 * The optimiser's moments are plain tensors that checkpoints save and restore.
 */

import { tf } from '../backend';
import { adamMoments, adamParam, addSumOfSquares, SUM_OF_SQUARES_GROUP } from '../backend/webgpu';
import { fastPaths } from '../model/ops';

/** Whether the optimiser's work runs as the fused WGSL kernels (webgpu only; see `fastPaths.fusedAdamW`). */
function fused(): boolean {
  return fastPaths.fusedAdamW && tf.getBackend() === 'webgpu';
}

export interface AdamWOptions {
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
}

/** Learning rate at `step` (0-based) of `total`: linear warm-up, then cosine down to lr*minRatio. */
export function cosineLr(step: number, total: number, peak: number, warmupFraction = 0.03, minRatio = 0): number {
  const warm = Math.max(1, Math.ceil(total * warmupFraction));
  if (step < warm) return (peak * (step + 1)) / warm;
  const progress = Math.min(1, (step - warm) / Math.max(1, total - warm));
  return peak * (minRatio + (1 - minRatio) * 0.5 * (1 + Math.cos(Math.PI * progress)));
}

export class AdamW {
  /** Completed updates. */
  step = 0;
  /** The moments, per parameter: m and v apart, or packed as one [2n] tensor (m then v) for the fused kernels; each parameter is in one form at a time. */
  private readonly m = new Map<string, tf.Tensor>();
  private readonly v = new Map<string, tf.Tensor>();
  private readonly mv = new Map<string, tf.Tensor>();
  /**
   * The constant operands as scalar tensors made once: a number passed to an op becomes a
   * new tensor each time, which on a GPU is an upload per parameter and step (the same
   * float32 values either way, so the updates are unchanged).
   */
  private readonly constants: { beta1: tf.Scalar; oneMinusBeta1: tf.Scalar; beta2: tf.Scalar; oneMinusBeta2: tf.Scalar; eps: tf.Scalar; one: tf.Tensor };

  constructor(
    private readonly params: Map<string, tf.Variable>,
    readonly options: AdamWOptions,
  ) {
    for (const [name, p] of params) {
      this.m.set(name, tf.keep(tf.zerosLike(p)));
      this.v.set(name, tf.keep(tf.zerosLike(p)));
    }
    const { beta1, beta2, eps } = options;
    this.constants = {
      beta1: tf.keep(tf.scalar(beta1)), oneMinusBeta1: tf.keep(tf.scalar(1 - beta1)),
      beta2: tf.keep(tf.scalar(beta2)), oneMinusBeta2: tf.keep(tf.scalar(1 - beta2)), eps: tf.keep(tf.scalar(eps)),
      one: tf.keep(tf.ones([1])),
    };
  }

  /**
   * Applies one update with learning rate `lr` from `grads` (by parameter name; not
   * disposed here), each gradient first multiplied by `scale` when given (the clipping
   * factor of {@link gradientScale}).
   */
  apply(grads: Map<string, tf.Tensor>, lr: number, scale: tf.Scalar | null = null): void {
    this.step++;
    const { beta1, beta2, eps, weightDecay } = this.options;
    const bc1 = 1 - beta1 ** this.step;
    const bc2 = 1 - beta2 ** this.step;
    const gradOf = (name: string): tf.Tensor => {
      const g = grads.get(name);
      if (!g) throw new Error(`AdamW: no gradient for "${name}"`);
      return g;
    };
    if (fused()) {
      // two dispatches a parameter: the packed moments, then the parameter
      for (const [name, p] of this.params) {
        const g = gradOf(name);
        const old = this.packed(name);
        const mv = tf.keep(adamMoments(old, g, scale ?? this.constants.one, beta1, beta2));
        old.dispose();
        this.mv.set(name, mv);
        tf.tidy(() => p.assign(tf.reshape(adamParam(p, mv, { lrOverBc1: lr / bc1, bc2, eps, decay: weightDecay > 0 && p.rank === 2 ? lr * weightDecay : 0 }), p.shape)));
      }
      return;
    }
    const c = this.constants;
    // this step's scalars, once for all parameters
    const step = { lrOverBc1: tf.scalar(lr / bc1), bc2: tf.scalar(bc2), decay: tf.scalar(lr * weightDecay) };
    try {
      for (const [name, p] of this.params) {
        const [m0, v0] = this.apart(name);
        const [m, v] = tf.tidy(() => {
          const g = scale ? tf.mul(gradOf(name), scale) : gradOf(name);
          const m = tf.add(tf.mul(m0, c.beta1), tf.mul(g, c.oneMinusBeta1));
          const v = tf.add(tf.mul(v0, c.beta2), tf.mul(tf.square(g), c.oneMinusBeta2));
          let update = tf.div(tf.mul(m, step.lrOverBc1), tf.add(tf.sqrt(tf.div(v, step.bc2)), c.eps));
          if (weightDecay > 0 && p.rank === 2) update = tf.add(update, tf.mul(p, step.decay));
          p.assign(tf.sub(p, update));
          return [m, v];
        });
        m0.dispose();
        v0.dispose();
        this.m.set(name, m);
        this.v.set(name, v);
      }
    } finally {
      tf.dispose(Object.values(step));
    }
  }

  /** Parameter `name`'s moments packed as [2n] (m then v), converting them if they are apart. */
  private packed(name: string): tf.Tensor {
    const mv = this.mv.get(name);
    if (mv) return mv;
    const [m, v] = [this.m.get(name)!, this.v.get(name)!];
    const out = tf.tidy(() => tf.concat([tf.reshape(m, [-1]), tf.reshape(v, [-1])]));
    m.dispose();
    v.dispose();
    this.m.delete(name);
    this.v.delete(name);
    this.mv.set(name, out);
    return out;
  }

  /** Parameter `name`'s moments apart, each of the parameter's shape, converting them if they are packed. */
  private apart(name: string): [tf.Tensor, tf.Tensor] {
    const mv = this.mv.get(name);
    if (mv) {
      const shape = this.params.get(name)!.shape;
      const n = mv.size / 2;
      this.m.set(name, tf.tidy(() => tf.reshape(tf.slice(mv, [0], [n]), shape)));
      this.v.set(name, tf.tidy(() => tf.reshape(tf.slice(mv, [n], [n]), shape)));
      mv.dispose();
      this.mv.delete(name);
    }
    return [this.m.get(name)!, this.v.get(name)!];
  }

  /** Moments as named arrays (`m.NAME`, `v.NAME`) for a checkpoint. */
  async state(): Promise<Map<string, { shape: number[]; data: Float32Array }>> {
    const out = new Map<string, { shape: number[]; data: Float32Array }>();
    for (const [name, p] of this.params) {
      const shape = [...p.shape];
      const mv = this.mv.get(name);
      if (mv) {
        const data = (await mv.data()) as Float32Array;
        out.set(`m.${name}`, { shape, data: data.slice(0, p.size) });
        out.set(`v.${name}`, { shape, data: data.slice(p.size) });
      } else {
        out.set(`m.${name}`, { shape, data: (await this.m.get(name)!.data()) as Float32Array });
        out.set(`v.${name}`, { shape, data: (await this.v.get(name)!.data()) as Float32Array });
      }
    }
    return out;
  }

  /** Restores moments saved by {@link state}; `source` names the file in errors. */
  load(state: Map<string, { shape: number[]; data: Float32Array | Int32Array }>, step: number, source: string): void {
    const loaded = new Map<string, tf.Tensor>();
    try {
      for (const name of this.params.keys()) {
        for (const kind of ['m', 'v'] as const) {
          const s = state.get(`${kind}.${name}`);
          const shape = this.params.get(name)!.shape;
          if (!s) throw new Error(`${source}: missing optimiser tensor "${kind}.${name}"`);
          if (s.shape.join(',') !== shape.join(',')) throw new Error(`${source}: optimiser tensor "${kind}.${name}" has shape [${s.shape}], expected [${shape}]`);
          loaded.set(`${kind}.${name}`, tf.keep(tf.tensor(s.data, shape, 'float32')));
        }
      }
    } catch (err) {
      tf.dispose([...loaded.values()]);
      throw err;
    }
    this.disposeMoments();
    for (const name of this.params.keys()) {
      this.m.set(name, loaded.get(`m.${name}`)!);
      this.v.set(name, loaded.get(`v.${name}`)!);
    }
    this.step = step;
  }

  private disposeMoments(): void {
    tf.dispose([...this.m.values(), ...this.v.values(), ...this.mv.values()]);
    this.m.clear();
    this.v.clear();
    this.mv.clear();
  }

  dispose(): void {
    this.disposeMoments();
    tf.dispose(Object.values(this.constants));
  }
}

/**
 * The global L2 norm of `grads` and, when `maxNorm` > 0, the factor that brings it down
 * to at most `maxNorm` (min(1, maxNorm / (norm + 1e-6)); null when not clipping), as
 * scalar tensors the caller disposes. The factor is applied by {@link AdamW.apply}, so
 * no clipped copy of the gradients is made. On webgpu (`fastPaths.fusedAdamW`) the
 * squares are summed by one kernel per six parameters.
 */
export function gradientScale(grads: Map<string, tf.Tensor>, maxNorm: number): { norm: tf.Scalar; scale: tf.Scalar | null } {
  const norm = tf.tidy(() => {
    if (fused()) {
      const all = [...grads.values()];
      let acc: tf.Tensor | null = null;
      for (let i = 0; i < all.length; i += SUM_OF_SQUARES_GROUP) acc = addSumOfSquares(acc, all.slice(i, i + SUM_OF_SQUARES_GROUP));
      return tf.reshape(tf.sqrt(acc ?? tf.zeros([1])), []) as tf.Scalar;
    }
    // pairwise adds, not addN: webgpu's AddN binds one buffer per input and fails past 8
    return tf.sqrt([...grads.values()].map((g) => tf.sum(tf.square(g))).reduce((a, b) => tf.add(a, b))) as tf.Scalar;
  });
  const scale = maxNorm > 0 ? tf.tidy(() => tf.minimum(1, tf.div(maxNorm, tf.add(norm, 1e-6))) as tf.Scalar) : null;
  return { norm, scale };
}
