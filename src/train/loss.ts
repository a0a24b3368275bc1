/**
 * The training objective: summed next-token negative log-likelihood with per-token
 * weights (0 on the prompt for instruction tuning, paper Section 3.1's
 * -log p(Y | T, X); 1 everywhere for language modelling). Callers divide by the
 * number of weighted tokens of the whole optimiser step, so that gradient
 * accumulation gives the same update as one large batch.
 */

import { tf } from '../backend';
import { oneHotFloat, sumLast } from '../model/ops';
import type { Transformer } from '../model/transformer';
import type { Batch } from './data';

/** Sum over tokens of weight * -log p(target); logits [n, V]. Call inside tf.tidy. */
export function weightedNllSum(logits: tf.Tensor2D, targets: tf.Tensor1D, weights: tf.Tensor1D): tf.Scalar {
  const logp = tf.logSoftmax(logits);
  const picked = sumLast(tf.mul(logp, oneHotFloat(targets, logits.shape[1])) as tf.Tensor2D);
  return tf.neg(tf.sum(tf.mul(picked, weights))) as tf.Scalar;
}

/** The batch's summed weighted NLL under `model` (scalar; call inside tf.tidy or variableGrads). */
export function batchLossSum(model: Transformer, b: Batch): tf.Scalar {
  const ids = tf.tensor2d(b.ids, [b.batch, b.t], 'int32');
  const targets = tf.tensor1d(b.targets, 'int32');
  const weights = tf.tensor1d(b.weights, 'float32');
  return weightedNllSum(model.logits2d(ids, b.segments), targets, weights);
}

/** Mean loss per weighted token over `batches`, without gradients. */
export async function evaluateLoss(model: Transformer, batches: readonly Batch[]): Promise<number> {
  let sum = 0;
  let tokens = 0;
  for (const b of batches) {
    const s = tf.tidy(() => batchLossSum(model, b));
    sum += (await s.data())[0]!;
    s.dispose();
    tokens += b.lossTokens;
  }
  return tokens > 0 ? sum / tokens : NaN;
}
