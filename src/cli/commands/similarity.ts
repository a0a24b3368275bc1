import { matrixFromNpy, readNpy, retrievalSimilarity } from '../../similarity';
import { type Command, UsageError } from '../command';
import { requireFile } from '../inputs';

export const command: Command = {
  name: 'similarity',
  summary: 'language similarity gamma from two .npy representation matrices',
  usage: `usage: xalign similarity --en A.npy --x B.npy [--json]

Row i of A (English) and row i of B (the other language) represent a translation pair
(n x d each; float16/32/64, C order, e.g. saved with np.save). Each English row
retrieves B's rows by cosine similarity; the true translation's rank r gives the score
1 - (r - 1)/n, and gamma is its mean, in (0, 1] (chance is about 0.5). Also prints
top-1 accuracy and mean reciprocal rank. Paper Section 3.2.

--json prints {"similarity","top1","mrr","n"}.`,
  options: { en: { type: 'string' }, x: { type: 'string' } },
  async run(ctx) {
    const en = ctx.flags.en as string | undefined;
    const x = ctx.flags.x as string | undefined;
    if (!en || !x) throw new UsageError('similarity: both --en A.npy and --x B.npy are required');
    requireFile(en, '--en');
    requireFile(x, '--x');
    const a = matrixFromNpy(readNpy(en), en);
    const b = matrixFromNpy(readNpy(x), x);
    if (a.rows < 2) {
      throw new Error(`similarity: --en ${en} has ${a.rows} row; gamma needs at least 2 translation pairs (with one, the true translation is the only candidate and gamma is 1 by construction)`);
    }
    const r = retrievalSimilarity(a, b, [en, x]);
    const value = { similarity: r.similarity, top1: r.top1, mrr: r.mrr, n: r.n };
    const text = `gamma (rank score) ${r.similarity.toFixed(4)}  top-1 ${r.top1.toFixed(4)}  MRR ${r.mrr.toFixed(4)}  n ${r.n}`;
    return { value, text };
  },
};
