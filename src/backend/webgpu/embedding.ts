/**
 * The embedding table's gradient on webgpu, added up in a fixed order. tfjs's own
 * gradient of a row gather (ScatterNd, UnsortedSegmentSum) adds the rows of repeated
 * ids with float atomics, in whatever order the GPU's threads arrive, so two runs with
 * the same seeds drift apart in the last bit and then further as training goes on.
 */

import { tf } from '../index';
import { flatProgram, i32, run } from './program';

/** Positions are carried as float32 values, exact below 2^24. */
const MAX_IDS = 2 ** 24;

/**
 * d table [vocab, d] from the ids [n] (int32) a gather read and its output's gradient
 * dy [n, d]: row v is the sum of the rows of dy whose id is v, added in the order of
 * the ids, as the cpu backend adds them. Two dispatches: the first links each position
 * to the next one with the same id and each id to its first position; the second has
 * one thread per table value walk its id's chain. Work: each position scans ahead to
 * its id's next position (to the end for an id's last one, so at most n^2 / 2 reads of
 * the ids, fewer the more ids repeat), and each id scans to its first; then n d additions.
 */
export function embeddingGrad(ids: tf.Tensor1D, dy: tf.Tensor2D, vocab: number): tf.Tensor2D {
  const [n, d] = dy.shape;
  if (ids.dtype !== 'int32' || ids.size !== n) throw new Error(`embeddingGrad: ids must be ${n} int32 values (one per row of dy), got ${ids.size} ${ids.dtype}`);
  if (n >= MAX_IDS) throw new Error(`embeddingGrad: ${n} ids, more than the ${MAX_IDS} its links can address`);
  // links [n + vocab]: at i < n the next position after i with the same id, at n + v the first position of id v; -1 for none
  const linking = flatProgram('xalignEmbeddingLinks', n + vocab, ['IDS'], 'n : i32,', `
          let n = uniforms.n;
          var found = -1;
          if (index < n) {
            let v = IDS[index];
            for (var k = index + 1; k < n; k = k + 1) {
              if (IDS[k] == v) {
                found = k;
                break;
              }
            }
          } else {
            let v = index - n;
            for (var k = 0; k < n; k = k + 1) {
              if (IDS[k] == v) {
                found = k;
                break;
              }
            }
          }
          result[index] = f32(found);`);
  const summing = flatProgram('xalignEmbeddingGrad', vocab * d, ['LINKS', 'DY'], 'n : i32, d : i32,', `
          let d = uniforms.d;
          var i = i32(LINKS[uniforms.n + index / d]);
          var s = 0.0;
          loop {
            if (i < 0) {
              break;
            }
            s = s + DY[i * d + index % d];
            i = i32(LINKS[i]);
          }
          result[index] = s;`);
  return tf.tidy(() => {
    const links = run(linking, [ids], [i32(n)]);
    return tf.reshape(run(summing, [links, dy], [i32(n), i32(d)]), [vocab, d]) as tf.Tensor2D;
  });
}
