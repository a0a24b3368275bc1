/**
 * AdamW (Loshchilov and Hutter 2019) with decoupled weight decay on matrices only,
 * global-norm gradient clipping, and the cosine learning-rate schedule with linear
 * warm-up over the first 3% of steps used by the paper's public training code
 * (Stanford Alpaca recipe: `warmup_ratio 0.03`, `lr_scheduler_type cosine`).
 * The optimiser's moments are plain tensors that checkpoints save and restore.
 */

import { tf } from '../backend';

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
  readonly m = new Map<string, tf.Tensor>();
  readonly v = new Map<string, tf.Tensor>();
  /**
   * The constant operands as scalar tensors made once: a number passed to an op becomes a
   * new tensor each time, which on a GPU is an upload per parameter and step (the same
   * float32 values either way, so the updates are unchanged).
   */
  private readonly constants: { beta1: tf.Scalar; oneMinusBeta1: tf.Scalar; beta2: tf.Scalar; oneMinusBeta2: tf.Scalar; eps: tf.Scalar };

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
    };
  }

  /** Applies one update with learning rate `lr` from `grads` (by parameter name; not disposed here). */
  apply(grads: Map<string, tf.Tensor>, lr: number): void {
    this.step++;
    const { beta1, beta2, weightDecay } = this.options;
    const c = this.constants;
    const bc1 = 1 - beta1 ** this.step;
    const bc2 = 1 - beta2 ** this.step;
    // this step's scalars, once for all parameters
    const step = { lrOverBc1: tf.scalar(lr / bc1), bc2: tf.scalar(bc2), decay: tf.scalar(lr * weightDecay) };
    try {
      for (const [name, p] of this.params) {
        const g = grads.get(name);
        if (!g) throw new Error(`AdamW: no gradient for "${name}"`);
        const [m, v] = tf.tidy(() => {
          const m = tf.add(tf.mul(this.m.get(name)!, c.beta1), tf.mul(g, c.oneMinusBeta1));
          const v = tf.add(tf.mul(this.v.get(name)!, c.beta2), tf.mul(tf.square(g), c.oneMinusBeta2));
          let update = tf.div(tf.mul(m, step.lrOverBc1), tf.add(tf.sqrt(tf.div(v, step.bc2)), c.eps));
          if (weightDecay > 0 && p.rank === 2) update = tf.add(update, tf.mul(p, step.decay));
          p.assign(tf.sub(p, update));
          return [m, v];
        });
        this.m.get(name)!.dispose();
        this.v.get(name)!.dispose();
        this.m.set(name, m);
        this.v.set(name, v);
      }
    } finally {
      tf.dispose(Object.values(step));
    }
  }

  /** Moments as named arrays (`m.NAME`, `v.NAME`) for a checkpoint. */
  async state(): Promise<Map<string, { shape: number[]; data: Float32Array }>> {
    const out = new Map<string, { shape: number[]; data: Float32Array }>();
    for (const [kind, map] of [['m', this.m], ['v', this.v]] as const) {
      for (const [name, t] of map) out.set(`${kind}.${name}`, { shape: [...t.shape], data: (await t.data()) as Float32Array });
    }
    return out;
  }

  /** Restores moments saved by {@link state}; `source` names the file in errors. */
  load(state: Map<string, { shape: number[]; data: Float32Array | Int32Array }>, step: number, source: string): void {
    for (const [kind, map] of [['m', this.m], ['v', this.v]] as const) {
      for (const [name, old] of map) {
        const s = state.get(`${kind}.${name}`);
        if (!s) throw new Error(`${source}: missing optimiser tensor "${kind}.${name}"`);
        if (s.shape.join(',') !== old.shape.join(',')) throw new Error(`${source}: optimiser tensor "${kind}.${name}" has shape [${s.shape}], expected [${old.shape}]`);
        map.set(name, tf.keep(tf.tensor(s.data, old.shape, 'float32')));
        old.dispose();
      }
    }
    this.step = step;
  }

  dispose(): void {
    for (const t of [...this.m.values(), ...this.v.values(), ...Object.values(this.constants)]) t.dispose();
    this.m.clear();
    this.v.clear();
  }
}

/**
 * Scales `grads` in place so their global L2 norm is at most `maxNorm` (0 = no
 * clipping); returns the norm before clipping as a scalar tensor (caller disposes).
 */
export function clipByGlobalNorm(grads: Map<string, tf.Tensor>, maxNorm: number): tf.Scalar {
  // pairwise adds, not addN: webgpu's AddN binds one buffer per input and fails past 8
  const norm = tf.tidy(() => tf.sqrt([...grads.values()].map((g) => tf.sum(tf.square(g))).reduce((a, b) => tf.add(a, b))) as tf.Scalar);
  if (maxNorm > 0) {
    const scale = tf.tidy(() => tf.minimum(1, tf.div(maxNorm, tf.add(norm, 1e-6))));
    for (const [name, g] of grads) {
      grads.set(name, tf.mul(g, scale));
      g.dispose();
    }
    scale.dispose();
  }
  return norm;
}
