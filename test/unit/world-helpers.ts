/** Shared inputs of the world tests: a tiny world and every sentence type the grammar writes. */
import { Rng } from '../../src/random/rng';
import {
  buildWorld, cloze, filler, INSTRUCTION_SENTENCES, passage, question, RELATIONS, type RelationId, statement, summary,
  type WorldOptions,
} from '../../src/world';

export const RELS: RelationId[] = ['job', 'pet', 'food', 'instrument', 'city'];

export function tinyOptions(over: Partial<WorldOptions> = {}): WorldOptions {
  return {
    seed: 5,
    languages: ['ar', 'el', 'hi', 'tr', 'vi', 'zh'],
    kb: { people: 12, relations: ['job', 'pet', 'food', 'instrument'], valuesPerRelation: 5, heldOutShare: 0.25 },
    corpus: { sentences: 600, targetShare: 0.05, codeSwitchShare: 0.3, codeSwitchP: 0.5, parallelShare: 0, repeatShare: 0, recallShare: 0 },
    sizes: { train: 8, test: 6, alpaca: 10, translationPairs: 10 },
    ...over,
  };
}

export const tinyWorld = () => buildWorld(tinyOptions());

/** Every kind of English sentence: each template of each relation, passages, summaries, instructions, filler. */
export function allSentenceKinds(): string[] {
  const s = { name: 'Tavo', facts: { job: 'oboe', pet: 'owl', food: 'bread', instrument: 'harp', city: 'Mirel' } } as const;
  const out: string[] = [];
  for (const r of RELS) {
    const spec = RELATIONS[r];
    spec.statements.forEach((_, v) => out.push(statement(s, r, undefined, v)));
    spec.questions.forEach((_, v) => out.push(question(s, r, undefined, v)));
    spec.cloze.forEach((_, v) => out.push(cloze(s, r, undefined, v).text));
  }
  out.push(summary(s, RELS), summary(s, ['pet']));
  const rng = new Rng(9);
  out.push(passage(s, RELS, rng, 2).join(' '));
  for (let i = 0; i < 30; i++) out.push(filler(rng));
  out.push(...INSTRUCTION_SENTENCES.map((t) => t.replace('{N}', 'Tavo').replace(/ ([.?:])/g, '$1')));
  return out;
}
