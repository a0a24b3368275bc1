/**
 * Can a model copy from its context? Context QA (XQuAD-like, notebook 02) needs it: the
 * answer is a value stated earlier in the prompt. The probe writes each of `n` QA test
 * passages twice in a row and compares the negative log-likelihood per token of the
 * second copy with that of the first. A model that copies predicts the second copy
 * almost perfectly (well below 0.5 nats per token); one that cannot predicts it about as
 * badly as the first (docs/world.md, "Tuning that learns"). A passage longer than half
 * the model's context is cut to its first half.
 */

import { sequenceLogLikelihoods } from '../model/generate';
import type { Tokenizer } from '../model/tokenizer';
import type { Transformer } from '../model/transformer';
import type { World } from '../world/world';
import { DEFAULT_TASK_FORMAT } from '../world/tasks';

/** Mean NLL per token of the first and the second copy of `n` English QA passages (one stranger each). */
export async function probeCopying(model: Transformer, tok: Tokenizer, world: World, n = 20): Promise<{ first: number; second: number }> {
  const recs = world.examples('qa', 'en', 'test', n, { ...DEFAULT_TASK_FORMAT, qaPeople: 1, qaAnswer: 'value' });
  const seqs: number[][] = [];
  let tokens = 0;
  // a passage longer than half the model's context is cut to fit twice
  const room = Math.floor((model.config.maxSeqLen - 1) / 2);
  for (const r of recs) {
    const passage = tok.encode(` ${r.input!.split('\n')[0]!.replace(/^[^:]*: /, '')}`).slice(0, room);
    const once = [tok.special.eos, ...passage];
    seqs.push(once, [...once, ...passage]);
    tokens += passage.length;
  }
  const ll = await sequenceLogLikelihoods(model, seqs);
  let first = 0;
  let second = 0;
  for (let i = 0; i < ll.length; i += 2) {
    first -= ll[i]!;
    second -= ll[i + 1]! - ll[i]!;
  }
  return { first: first / tokens, second: second / tokens };
}

/**
 * Does a model read a fact back from its context? For `n` English context-QA test
 * passages (two strangers each), the passage is followed by a statement of the asked
 * fact ("Kiroro keeps an owl."), filled with each value of the relation in turn; the
 * statements are ranked by likelihood, and the passage's own value must come first.
 * Chance is 1 / values per relation; a model that only knows which values are plausible
 * for the kind of fact, not which one the passage states, scores near chance. This is
 * the ability context QA asks of a tuned model, measured on the base model (%). A
 * passage too long for the model keeps its end; NaN when no statement fits at all.
 */
export async function probeContextRecall(model: Transformer, tok: Tokenizer, world: World, n = 40): Promise<number> {
  const recs = world.examples('qa', 'en', 'test', n, { ...DEFAULT_TASK_FORMAT, qaPeople: 2, qaAnswer: 'sentence' });
  let right = 0;
  let scored = 0;
  for (const r of recs) {
    const passage = r.input!.split('\n')[0]!.replace(/^[^:]*: /, '');
    const values = world.kb.values[r.relation!];
    const statements = values.map((v) => tok.encode(r.output.replace(new RegExp(`\\b(an? )?${r.answer}\\b`), (_m, art: string | undefined) => `${art ? (/^[aeiou]/i.test(v) ? 'an ' : 'a ') : ''}${v}`)));
    // a passage too long for the model keeps its end (the statements must fit after it)
    const room = model.config.maxSeqLen - 1 - Math.max(...statements.map((t) => t.length));
    if (room < 1) continue;
    const prefix = [tok.special.eos, ...tok.encode(`${passage} `).slice(-room)];
    const ll = await sequenceLogLikelihoods(model, statements.map((t) => [...prefix, ...t]));
    if (ll.indexOf(Math.max(...ll)) === values.indexOf(r.answer)) right++;
    scored++;
  }
  return scored > 0 ? (100 * right) / scored : NaN;
}
