/**
 * Causal multi-head attention as WGSL kernels, on the queries, keys and values as one
 * projection gives them: qkv [b * t, 3d], q in columns 0..d, k in d..2d, v in 2d..3d,
 * head h of each in its columns h * hd .. (h + 1) * hd. No slicing into q, k and v, no
 * reshape to heads and back, no [b, heads, t, t] score tensor in memory.
 *
 * One thread a (sequence, head, position). Forward ({@link attentionForward}): the thread
 * of query i walks its keys once, keeping the running maximum, the softmax's
 * denominator and the weighted sum of values (the online softmax of flash attention),
 * and writes its output row. Backward (flash attention's recomputation): one kernel
 * makes each query's softmax statistics and D = dO . O ({@link attentionStats}); then one
 * kernel ({@link attentionGrad}) makes the probabilities P_ij again where needed, with
 * dS_ij = P_ij (dO_i . v_j - D_i): a thread a query sums dS_ij k_j over its keys (dQ), a
 * thread a key sums dS_ij q_i over the queries that read it (dK), and another P_ij dO_i
 * (dV), all written side by side as d(qkv). Three dispatches a layer and step in all,
 * where tfjs's ops take about 40.
 *
 * The scores are s_ij = scale q_i . k_j + bias_ij. `bias` is [t, t] for all sequences or
 * [b, t, t] (any shape of that size): the causal mask, with the packing's or the
 * padding's. With `causal`, keys after the query are not read at all (the bias's -1e9
 * there gives them weight exactly 0 in float32 too, so the values match tfjs's). Not
 * tiled in shared memory: each thread reads its keys from global memory, where the
 * threads of a workgroup read the same ones at once.
 */

import { tf } from '../index';
import { f32, i32, type Program, run, threadProgram } from './program';

export interface AttentionShape {
  batch: number;
  t: number;
  heads: number;
  /** Multiplies q . k (1 / sqrt(head size)). */
  scale: number;
  /**
   * Skip the keys after each query (half the work). Exact when the bias masks them and
   * leaves every query at least one key at or before it, as the causal and packing
   * masks do; with padding that can mask a query's every key, false: then such a query
   * spreads its weight over all keys, as softmax does.
   */
  causal: boolean;
}

/** The largest head size the kernels take (each thread keeps a few rows of it); the model takes tfjs's ops above it. */
export const ATTENTION_MAX_HEAD = 256;

/** Checks the shapes; returns the model width d, the head size and the bias's stride between sequences (0: shared). */
function check(qkv: tf.Tensor2D, bias: tf.Tensor, s: AttentionShape): { d: number; hd: number; biasStride: number } {
  const [rows, width] = qkv.shape;
  if (rows !== s.batch * s.t) throw new Error(`attention: ${rows} rows, expected batch ${s.batch} x t ${s.t}`);
  if (width % (3 * s.heads) !== 0) throw new Error(`attention: qkv width ${width} is not 3 x a multiple of ${s.heads} heads`);
  const d = width / 3;
  const hd = d / s.heads;
  if (hd > ATTENTION_MAX_HEAD) throw new Error(`attention: head size ${hd} above the kernels' ${ATTENTION_MAX_HEAD}`);
  const tt = s.t * s.t;
  if (bias.size !== tt && bias.size !== s.batch * tt) throw new Error(`attention: bias of ${bias.size} values, expected t x t = ${tt} or batch x t x t = ${s.batch * tt}`);
  return { d, hd, biasStride: bias.size === tt ? 0 : tt };
}

/**
 * WGSL naming the thread's sequence `r`, head `h` and position `i` (from `index`), the
 * first value of its head in its qkv row (`at`, the query's; a key's and value's are
 * + d and + 2d) and in its output row (`row0`), `lastKey`, the last key a query reads,
 * and `firstQuery`, the first query that reads a key.
 */
const THREAD = `
          let t = uniforms.t;
          let d = uniforms.d;
          let w = 3 * d;
          let i = index % t;
          let rh = index / t;
          let h = rh % uniforms.heads;
          let r = rh / uniforms.heads;
          let seq = r * t;
          let at = (seq + i) * w + h * HD;
          let row0 = (seq + i) * d + h * HD;
          let biasRow = r * uniforms.biasStride + i * t;
          let lastKey = select(t - 1, i, uniforms.causal == 1);
          let firstQuery = select(0, i, uniforms.causal == 1);`;

const UNIFORMS = 't : i32, d : i32, heads : i32, biasStride : i32, scale : f32, causal : i32, perRole : i32,';

function uniforms(s: AttentionShape, d: number, biasStride: number, roles = 1) {
  const n = s.batch * s.heads * s.t;
  return [i32(roles * n), i32(s.t), i32(d), i32(s.heads), i32(biasStride), f32(s.scale), i32(s.causal ? 1 : 0), i32(n)];
}

/**
 * A {@link threadProgram} of `roles` threads a (sequence, head, position), the role in
 * `role` (0 when one), with the head size as the WGSL constant HD (it sizes the
 * threads' arrays).
 */
function attentionProgram(key: string, hd: number, outputShape: number[], s: AttentionShape, names: string[], body: string, roles = 1): Program {
  const program = threadProgram(`${key}${hd}`, outputShape, roles * s.batch * s.heads * s.t, names, UNIFORMS, `
          let role = index / uniforms.perRole;
          {
          let index = index % uniforms.perRole;
          ${THREAD}
          ${body}
          }`);
  return { ...program, getUserCode: () => `const HD = ${hd};\n${program.getUserCode()}` };
}

/**
 * WGSL of the walk over query i's keys with the online softmax: leaves `m`, the scores'
 * maximum, and `l`, the sum of exp(s - m); `perKey` runs at each key with its qkv row
 * offset `kj` (the key's head at kj + d, its value's at kj + 2d), `p` = exp(s - m) and
 * `keep`, the factor that rescales what was summed before. The query, scaled, is in `qs`.
 */
function onlineSoftmax(perKey: string): string {
  return `var m = -3.0e38;
          var l = 0.0;
          for (var j = 0; j <= lastKey; j = j + 1) {
            let kj = (seq + j) * w + h * HD;
            var sc = 0.0;
            for (var c = 0; c < HD; c = c + 1) {
              sc = sc + qs[c] * QKV[kj + d + c];
            }
            sc = sc + BIAS[biasRow + j];
            let mNew = max(m, sc);
            let keep = exp(m - mNew);
            let p = exp(sc - mNew);
            l = l * keep + p;
            ${perKey}
            m = mNew;
          }`;
}

/** WGSL: the thread's query, scaled, into `qs`. */
const LOAD_QUERY = `
          var qs : array<f32, HD>;
          for (var c = 0; c < HD; c = c + 1) {
            qs[c] = QKV[at + c] * uniforms.scale;
          }`;

/** The output [b * t, d] of attention over qkv [b * t, 3d]: each query's weighted sum of values, heads side by side. */
export function attentionForward(qkv: tf.Tensor2D, bias: tf.Tensor, s: AttentionShape): tf.Tensor2D {
  const { d, hd, biasStride } = check(qkv, bias, s);
  const program = attentionProgram('xalignAttention', hd, [s.batch * s.t, d], s, ['QKV', 'BIAS'], `
          ${LOAD_QUERY}
          var acc : array<f32, HD>;
          for (var c = 0; c < HD; c = c + 1) {
            acc[c] = 0.0;
          }
          ${onlineSoftmax(`for (var c = 0; c < HD; c = c + 1) {
              acc[c] = acc[c] * keep + p * QKV[kj + 2 * d + c];
            }`)}
          for (var c = 0; c < HD; c = c + 1) {
            result[row0 + c] = acc[c] / l;
          }`);
  return tf.reshape(run(program, [qkv, bias], uniforms(s, d, biasStride)), [s.batch * s.t, d]) as tf.Tensor2D;
}

/**
 * Per (sequence, head, position) thread, as [b * heads * t, 3]: its scores' maximum m,
 * 1 / the sum of exp(s - m), and dO . O, from the output o and its gradient dO
 * [b * t, d]. (m and the sum apart: with the masks' -1e9 in the scores, m + log(sum)
 * would round the sum away.)
 */
export function attentionStats(qkv: tf.Tensor2D, o: tf.Tensor2D, dO: tf.Tensor2D, bias: tf.Tensor, s: AttentionShape): tf.Tensor2D {
  const { d, hd, biasStride } = check(qkv, bias, s);
  const n = s.batch * s.heads * s.t;
  const program = attentionProgram('xalignAttentionStats', hd, [n, 3], s, ['QKV', 'O', 'DO', 'BIAS'], `
          ${LOAD_QUERY}
          var dot = 0.0;
          for (var c = 0; c < HD; c = c + 1) {
            dot = dot + DO[row0 + c] * O[row0 + c];
          }
          ${onlineSoftmax('')}
          result[3 * index] = m;
          result[3 * index + 1] = 1.0 / l;
          result[3 * index + 2] = dot;`);
  return tf.reshape(run(program, [qkv, o, dO, bias], uniforms(s, d, biasStride)), [n, 3]) as tf.Tensor2D;
}

/**
 * d(qkv) [b * t, 3d] from dO [b * t, d] and {@link attentionStats}. Three roles of one
 * thread a (sequence, head, position): role 0, the query's dQ = scale times the sum
 * over its keys of dS_ij k_j; role 1, the key's dK = the sum over the queries that read
 * it of dS_ij scale q_i; role 2, the value's dV = the sum of P_ij dO_i over the same.
 */
export function attentionGrad(qkv: tf.Tensor2D, dO: tf.Tensor2D, stats: tf.Tensor2D, bias: tf.Tensor, s: AttentionShape): tf.Tensor2D {
  const { d, hd, biasStride } = check(qkv, bias, s);
  const program = attentionProgram('xalignAttentionGrad', hd, [...qkv.shape], s, ['QKV', 'DO', 'ST', 'BIAS'], `
          var acc : array<f32, HD>;
          var own : array<f32, HD>;
          for (var c = 0; c < HD; c = c + 1) {
            acc[c] = 0.0;
          }
          if (role == 0) {
            ${LOAD_QUERY}
            var go : array<f32, HD>;
            for (var c = 0; c < HD; c = c + 1) {
              go[c] = DO[row0 + c];
            }
            let m = ST[3 * index];
            let invL = ST[3 * index + 1];
            let dd = ST[3 * index + 2];
            for (var j = 0; j <= lastKey; j = j + 1) {
              let kj = (seq + j) * w + h * HD;
              var sc = 0.0;
              var dp = 0.0;
              for (var c = 0; c < HD; c = c + 1) {
                sc = sc + qs[c] * QKV[kj + d + c];
                dp = dp + go[c] * QKV[kj + 2 * d + c];
              }
              let ds = exp(sc + BIAS[biasRow + j] - m) * invL * (dp - dd);
              for (var c = 0; c < HD; c = c + 1) {
                acc[c] = acc[c] + ds * QKV[kj + d + c];
              }
            }
            for (var c = 0; c < HD; c = c + 1) {
              result[at + c] = acc[c] * uniforms.scale;
            }
          } else {
            // this thread's position i is a key's: it is read by the queries qi from firstQuery on
            let forValues = role == 2;
            for (var c = 0; c < HD; c = c + 1) {
              own[c] = QKV[at + d + c];
            }
            var vs : array<f32, HD>;
            for (var c = 0; c < HD; c = c + 1) {
              vs[c] = QKV[at + 2 * d + c];
            }
            for (var qi = firstQuery; qi < t; qi = qi + 1) {
              let qa = (seq + qi) * w + h * HD;
              let orow = (seq + qi) * d + h * HD;
              let qindex = index - i + qi;
              var sc = 0.0;
              for (var c = 0; c < HD; c = c + 1) {
                sc = sc + QKV[qa + c] * uniforms.scale * own[c];
              }
              let p = exp(sc + BIAS[r * uniforms.biasStride + qi * t + i] - ST[3 * qindex]) * ST[3 * qindex + 1];
              if (forValues) {
                for (var c = 0; c < HD; c = c + 1) {
                  acc[c] = acc[c] + p * DO[orow + c];
                }
              } else {
                var dp = 0.0;
                for (var c = 0; c < HD; c = c + 1) {
                  dp = dp + DO[orow + c] * vs[c];
                }
                let ds = p * (dp - ST[3 * qindex + 2]) * uniforms.scale;
                for (var c = 0; c < HD; c = c + 1) {
                  acc[c] = acc[c] + ds * QKV[qa + c];
                }
              }
            }
            for (var c = 0; c < HD; c = c + 1) {
              result[at + role * d + c] = acc[c];
            }
          }`, 3);
  return tf.reshape(run(program, [qkv, dO, stats, bias], uniforms(s, d, biasStride, 3)), qkv.shape) as tf.Tensor2D;
}
