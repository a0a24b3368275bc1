import { pca } from '../../representations/pca';
import { alignment } from '../../representations/align';
import { readLayerDir } from '../../representations/layers';
import { matrixFromNpy, readNpy } from '../../similarity';
import { type Command, UsageError } from '../command';
import { numberFlag, requireFile, SEED_RANGE } from '../inputs';

export const command: Command = {
  name: 'represent',
  summary: 'sentence representations: exact PCA of a .npy matrix, alignment of two languages layer by layer',
  usage: `usage: xalign represent pca --x FILE.npy [--k 2] [--json]
       xalign represent align --en DIR --x DIR [--samples 1000] [--seed S] [--json]

pca: centres the n x d matrix (rows = sentences; float16/32/64, C order, as np.save
writes it) and returns its first k principal components, as scikit-learn's PCA with a
full SVD: explained variance and its ratio, singular values, components (rows; each
signed so that its largest entry is positive) and the projection of every row.
--json prints {"explainedVarianceRatio","explainedVariance","singularValues","components","projection"}.

align: DIR holds one layer-NN.npy per layer (00: embeddings, then each block), row i =
sentence i mean-pooled over its real tokens; row i of --en and of --x are a translation
pair. For each layer: retrieval top-1 and MRR, linear CKA, the cosine gap between true
and other pairs, and the distance between the two centroids over their spread, each
with a 95% bootstrap interval over the pairs (--samples resamples, --seed).
--json prints {"layers": [{"layer","n","top1":{"value","lower","upper"},"mrr","cka","cosineGap","centroidDistance"}]}.`,
  options: { x: { type: 'string' }, en: { type: 'string' }, k: { type: 'string' }, samples: { type: 'string' }, seed: { type: 'string' } },
  async run(ctx) {
    const [sub] = ctx.positionals;
    if (sub === 'pca') {
      const file = ctx.flags.x as string | undefined;
      if (!file) throw new UsageError('represent pca: --x FILE.npy is required');
      requireFile(file, '--x');
      const k = numberFlag(ctx.flags, 'k', { integer: true, min: 1 }, 'represent pca') ?? 2;
      const m = matrixFromNpy(readNpy(file), file);
      if (k > m.cols) throw new UsageError(`represent pca: --k ${k} is more than the ${m.cols} columns of ${file}`);
      const r = pca(m, k, file);
      const value = { explainedVarianceRatio: r.explainedVarianceRatio, explainedVariance: r.explainedVariance, singularValues: r.singularValues, components: r.components, projection: r.projection };
      const text = [
        `${m.rows} x ${m.cols} matrix, ${k} components`,
        ...r.explainedVariance.map((v, i) => `  component ${i + 1}: variance ${v.toPrecision(6)} (${(100 * r.explainedVarianceRatio[i]!).toFixed(2)}%), singular value ${r.singularValues[i]!.toPrecision(6)}`),
      ].join('\n');
      return { value, text };
    }
    if (sub === 'align') {
      const [en, x] = [ctx.flags.en as string | undefined, ctx.flags.x as string | undefined];
      if (!en || !x) throw new UsageError('represent align: both --en DIR and --x DIR are required');
      const samples = numberFlag(ctx.flags, 'samples', { integer: true, min: 10, max: 100_000 }, 'represent align') ?? 1000;
      const seed = numberFlag(ctx.flags, 'seed', SEED_RANGE, 'represent align') ?? 12345;
      const [a, b] = [readLayerDir(en), readLayerDir(x)];
      if (a.layers.length !== b.layers.length) throw new UsageError(`represent align: --en ${en} has ${a.layers.length} layers but --x ${x} has ${b.layers.length}`);
      const layers = a.layers.map((m, i) => ({ layer: i, ...alignment(m, b.layers[i]!, { samples, seed, names: [a.files[i]!, b.files[i]!] }) }));
      const f = (v: { value: number; lower: number; upper: number }) => `${v.value.toFixed(3)} (${v.lower.toFixed(3)}-${v.upper.toFixed(3)})`;
      const text = [
        `${layers[0]!.n} pairs, ${layers.length} layers, 95% bootstrap intervals (${samples} resamples)`,
        ...layers.map((l) => `  layer ${String(l.layer).padStart(2)}: top-1 ${f(l.top1)}  MRR ${f(l.mrr)}  CKA ${f(l.cka)}  cosine gap ${f(l.cosineGap)}  centroid distance ${f(l.centroidDistance)}`),
      ].join('\n');
      return { value: { layers }, text };
    }
    throw new UsageError(`represent: expected "pca" or "align", got ${sub === undefined ? 'nothing' : `"${sub}"`}`);
  },
};
